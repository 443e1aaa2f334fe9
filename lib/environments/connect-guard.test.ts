/**
 * Issue #8 item 7: endpoints were checked only when registered, so a name that resolved to a
 * public address at registration and to loopback afterwards (DNS rebinding) was connected to.
 * The clients built from an environment record now resolve and check at every connection.
 * Stand-in backends on 127.0.0.1 count what reaches them; "localhost" plays the rebound name.
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentRow } from "@/db/schema";
import { k8sClientFor, nacosClientFor, zookeeperClientFor } from "@/lib/environments/connect";
import { encryptSecrets } from "@/lib/environments/crypto";
import { validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";
import { NonPublicAddressError } from "@/lib/net/guarded-lookup";

const MASTER = "Zx8vB2nM4qW6eR8tY0uI2oP4aS6dF8gH0jK2lL4zX6cV8bN0";

let nacos: http.Server;
let nacosPort = 0;
let nacosRequests = 0;
/** Accepts TCP and hangs up at once; stands in for ZooKeeper and the Kubernetes API server. */
let tcp: net.Server;
let tcpPort = 0;
let tcpConnections = 0;

beforeAll(async () => {
  process.env.SWITCHYARD_ENCRYPTION_KEY = MASTER;
  nacos = http.createServer((req, res) => {
    nacosRequests++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ code: 0, message: "success", data: { totalCount: 0, pageNumber: 1, pagesAvailable: 0, pageItems: [] } }));
  });
  tcp = net.createServer((socket) => {
    tcpConnections++;
    socket.destroy();
  });
  await new Promise<void>((r) => nacos.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
  nacosPort = (nacos.address() as AddressInfo).port;
  tcpPort = (tcp.address() as AddressInfo).port;
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ENCRYPTION_KEY;
  await new Promise((r) => nacos.close(r));
  await new Promise((r) => tcp.close(r));
});
afterEach(() => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
});

let ids = 0;
function row(parts: Pick<EnvironmentRow, "registry" | "kubernetes">): EnvironmentRow {
  const id = `guard-${++ids}`;
  return {
    id,
    name: `env-${id}`,
    description: "",
    labels: {},
    prometheusUrl: null,
    secrets: encryptSecrets(MASTER, id, { k8sBearerToken: "t0ken" }),
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...parts,
  };
}
const nacosRow = (host: string) => row({ registry: { kind: "nacos", url: `http://${host}:${nacosPort}/nacos`, namespaces: [""] }, kubernetes: null });
const zkRow = (host: string) => row({ registry: { kind: "zookeeper", hosts: `${host}:${tcpPort}`, layout: "dubbo", root: "/" }, kubernetes: null });
const k8sRow = (host: string) => row({ registry: null, kubernetes: { apiUrl: `https://${host}:${tcpPort}`, auth: "bearer-token" } });

async function refusal(p: Promise<unknown>): Promise<NonPublicAddressError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NonPublicAddressError);
  return e as NonPublicAddressError;
}

describe("clients built from an environment check the address at connection time", () => {
  it("Nacos: registered while allowed, used while not → refused, naming Nacos and the environment; nothing reaches the server", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    const url = `http://localhost:${nacosPort}/nacos`;
    await expect(validateUrl("registry.url", url, ["http:"])).resolves.toBe(url);
    const r = nacosRow("localhost");
    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    nacosRequests = 0;
    for (const env of [r, nacosRow("127.0.0.1")]) {
      const e = await refusal(nacosClientFor(env)!.listServices());
      expect(e).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "nacos", environment: env.name });
      expect(e.userMessage).toContain(`Nacos in environment ${env.name}`);
    }
    expect(nacosRequests).toBe(0);
  });

  it("Nacos: allowed → connects to the address it checked", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    nacosRequests = 0;
    await expect(nacosClientFor(nacosRow("localhost"))!.listServices()).resolves.toMatchObject({ total: 0 });
    expect(nacosRequests).toBe(1);
  });

  it("ZooKeeper: a host that resolves to loopback is refused before any connection; allowed, the checked address is used", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    await validateZookeeperHosts("registry.hosts", `localhost:${tcpPort}`);
    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    tcpConnections = 0;
    for (const env of [zkRow("localhost"), zkRow("127.0.0.1")]) {
      const zk = zookeeperClientFor(env)!;
      try {
        const e = await refusal(zk.getChildren("/"));
        expect(e).toMatchObject({ system: "zookeeper", environment: env.name });
        // The refusal is not cached: the next call checks again.
        await refusal(zk.exists("/"));
      } finally {
        await zk.close();
      }
    }
    expect(tcpConnections).toBe(0);

    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    const zk = zookeeperClientFor(zkRow("localhost"))!;
    try {
      await expect(zk.getChildren("/")).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "zookeeper" });
    } finally {
      await zk.close();
    }
    expect(tcpConnections).toBeGreaterThan(0);
  });

  it("Kubernetes: a name or literal that is loopback is refused before any connection", async () => {
    tcpConnections = 0;
    for (const env of [k8sRow("localhost"), k8sRow("127.0.0.1"), k8sRow("[::ffff:7f00:1]")]) {
      const k8s = k8sClientFor(env)!;
      try {
        const e = await refusal(k8s.get("VirtualService", "default", "x"));
        expect(e).toMatchObject({ system: "kubernetes", environment: env.name });
      } finally {
        k8s.close();
      }
    }
    expect(tcpConnections).toBe(0);
  });
});
