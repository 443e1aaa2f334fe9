/**
 * Issue #8 item 7: endpoints were checked only when registered, so a name that resolved to a
 * public address then and to loopback later (DNS rebinding) was connected to. Against the real
 * Nacos, ZooKeeper and Kubernetes API server of the stack, each reached through a counting TCP
 * proxy as "localhost": an environment registered while private endpoints were allowed works
 * while they are, and once they are not, its clients refuse at connection time — naming the
 * system and the environment — and nothing reaches the backend.
 */
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentRow } from "@/db/schema";
import { k8sClientFor, nacosClientFor, zookeeperClientFor } from "@/lib/environments/connect";
import { encryptSecrets } from "@/lib/environments/crypto";
import { validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";
import { NonPublicAddressError } from "@/lib/net/guarded-lookup";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const MASTER = "q7Lm2Xv9-Rt4Yp8Wk3Nz6Bc1Hd5Gf0Js2Qa7Ue4Io9Pl3Mn8V";
const proxies: FaultProxy[] = [];
const previousKey = process.env.SWITCHYARD_ENCRYPTION_KEY;

beforeAll(() => {
  process.env.SWITCHYARD_ENCRYPTION_KEY = MASTER;
});
afterAll(async () => {
  if (previousKey === undefined) delete process.env.SWITCHYARD_ENCRYPTION_KEY;
  else process.env.SWITCHYARD_ENCRYPTION_KEY = previousKey;
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await Promise.all(proxies.map((p) => p.close()));
});
afterEach(() => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
});

/** A pass-through proxy in front of `host:port` and the "localhost" address that reaches it. */
async function viaLocalhost(host: string, port: number): Promise<{ proxy: FaultProxy; address: string }> {
  const proxy = await startFaultProxy({ host, port }, "pass");
  proxies.push(proxy);
  return { proxy, address: `localhost:${proxy.port}` };
}

let ids = 0;
function row(parts: Pick<EnvironmentRow, "registry" | "kubernetes">, secrets: Record<string, string>): EnvironmentRow {
  const id = `it-guard-${process.pid}-${++ids}`;
  return {
    id,
    name: `guard-${ids}`,
    description: "",
    labels: {},
    prometheusUrl: null,
    secrets: encryptSecrets(MASTER, id, secrets),
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...parts,
  };
}

/** Registration runs while private endpoints are allowed; each returned row is then used fresh. */
async function registeredWhileAllowed<T>(register: () => Promise<T>): Promise<T> {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  try {
    return await register();
  } finally {
    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  }
}

async function refusal(p: Promise<unknown>): Promise<NonPublicAddressError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NonPublicAddressError);
  return e as NonPublicAddressError;
}

describe("environment clients check the backend address at every connection (issue #8 item 7)", () => {
  it("Nacos", async () => {
    const target = new URL(peerEnv("nacos", "NACOS_URL"));
    const { proxy, address } = await viaLocalhost(target.hostname, Number(target.port));
    const url = await registeredWhileAllowed(() => validateUrl("registry.url", `http://${address}${target.pathname}`, ["http:", "https:"]));
    const nacos = () =>
      row({ registry: { kind: "nacos", url, username: peerEnv("nacos", "NACOS_USERNAME"), namespaces: [""] }, kubernetes: null }, { nacosPassword: peerEnv("nacos", "NACOS_PASSWORD") });

    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    expect((await nacosClientFor(nacos())!.ping()).version).toMatch(/^3\./);
    const forwarded = proxy.forwarded;
    expect(forwarded).toBeGreaterThan(0);

    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    const env = nacos();
    const e = await refusal(nacosClientFor(env)!.ping());
    expect(e).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "nacos", environment: env.name, host: "localhost" });
    expect(e.userMessage).toContain(`Nacos in environment ${env.name}`);
    expect(proxy.forwarded).toBe(forwarded);
  });

  it("ZooKeeper", async () => {
    const [host, port] = peerEnv("zookeeper", "ZK_HOSTS").split(",")[0]!.split(":") as [string, string];
    const { proxy, address } = await viaLocalhost(host, Number(port));
    const hosts = await registeredWhileAllowed(() => validateZookeeperHosts("registry.hosts", address));
    const zookeeper = () => row({ registry: { kind: "zookeeper", hosts, layout: "dubbo", root: "/" }, kubernetes: null }, {});

    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    const allowed = zookeeperClientFor(zookeeper())!;
    try {
      expect(await allowed.getChildren("/")).toContain("zookeeper");
    } finally {
      await allowed.close();
    }
    const forwarded = proxy.forwarded;
    expect(forwarded).toBeGreaterThan(0);

    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    const env = zookeeper();
    const refused = zookeeperClientFor(env)!;
    try {
      const e = await refusal(refused.getChildren("/"));
      expect(e).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "zookeeper", environment: env.name, host: "localhost" });
    } finally {
      await refused.close();
    }
    expect(proxy.forwarded).toBe(forwarded);
  });

  it("Kubernetes (TLS still verifies the name: the API server's certificate is for localhost)", async () => {
    const target = new URL(peerEnv("k8s", "K8S_URL"));
    const { proxy, address } = await viaLocalhost(target.hostname, Number(target.port));
    const apiUrl = await registeredWhileAllowed(() => validateUrl("kubernetes.apiUrl", `https://${address}`, ["https:"]));
    const kubernetes = () =>
      row(
        { registry: null, kubernetes: { apiUrl, caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"), auth: "client-certificate", clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8") } },
        { k8sClientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"), k8sClientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8") },
      );

    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    const allowed = k8sClientFor(kubernetes())!;
    try {
      expect(await allowed.ping()).toMatchObject({ version: { major: "1" }, ready: true });
    } finally {
      allowed.close();
    }
    const forwarded = proxy.forwarded;
    expect(forwarded).toBeGreaterThan(0);

    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    const env = kubernetes();
    const refused = k8sClientFor(env)!;
    try {
      const e = await refusal(refused.ping());
      expect(e).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "kubernetes", environment: env.name, host: "localhost" });
    } finally {
      refused.close();
    }
    expect(proxy.forwarded).toBe(forwarded);
  });
});
