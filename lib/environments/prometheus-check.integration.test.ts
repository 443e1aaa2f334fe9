/**
 * "Test connection" pings the environment's Prometheus when it has a URL: against the stack's
 * real Prometheus the verdict names Prometheus and the version its build-info endpoint reports
 * (read here directly, independently of the console); through a fault proxy that refuses or never
 * answers, the verdict fails naming Prometheus and the environment, within the usual timeout,
 * and the other backends' verdicts are unaffected.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { testEnvironment } from "@/lib/environments/connect";
import { createEnvironment } from "@/lib/environments/create-environment";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const admin = actorWithRole("admin");
const promUrl = peerEnv("prometheus", "PROMETHEUS_URL");
let pg: PostgresFixture;
let refused: FaultProxy;
let silent: FaultProxy;

function kubernetes() {
  return {
    apiUrl: peerEnv("k8s", "K8S_URL"),
    caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"),
    auth: "client-certificate" as const,
    clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"),
    clientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8"),
  };
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  process.env.SWITCHYARD_PROMETHEUS_TIMEOUT_MS = "1500";
  pg = await freshPostgres("promcheck");
  setProcessDatabase(pg.handle);
  const target = new URL(promUrl);
  refused = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, "refuse");
  silent = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, "blackhole");
  await createEnvironment.execute(admin, { name: "prom-ok", labels: { tier: "prod" }, prometheusUrl: promUrl, kubernetes: kubernetes() }, meta());
  await createEnvironment.execute(admin, { name: "prom-refused", labels: { tier: "prod" }, prometheusUrl: refused.url(), kubernetes: kubernetes() }, meta());
  await createEnvironment.execute(admin, { name: "prom-silent", labels: { tier: "prod" }, prometheusUrl: silent.url() }, meta());
  await createEnvironment.execute(admin, { name: "prom-none", labels: { tier: "prod" }, kubernetes: kubernetes() }, meta());
});

afterAll(async () => {
  await refused?.close();
  await silent?.close();
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  delete process.env.SWITCHYARD_PROMETHEUS_TIMEOUT_MS;
  await pg?.drop();
});

describe("test connection includes Prometheus", () => {
  it("the real Prometheus answers: the verdict names it and its version", async () => {
    const direct = (await (await fetch(new URL("api/v1/status/buildinfo", promUrl.replace(/\/?$/, "/")))).json()) as { data: { version: string } };
    expect(direct.data.version).toMatch(/^\d+\.\d+/);
    const verdicts = await testEnvironment(admin, "prom-ok");
    expect(verdicts.map((v) => [v.system, v.ok])).toEqual([
      ["kubernetes", true],
      ["prometheus", true],
    ]);
    const p = verdicts.find((v) => v.system === "prometheus")!;
    expect(p.message).toBe(`Prometheus ${direct.data.version} answered.`);
    expect(p.facts).toEqual({ version: direct.data.version });
  });

  it("without a Prometheus URL there is no Prometheus verdict", async () => {
    expect((await testEnvironment(admin, "prom-none")).map((v) => v.system)).toEqual(["kubernetes"]);
  });

  it("a refused Prometheus fails its verdict naming Prometheus and the environment; Kubernetes still passes", async () => {
    const before = refused.forwarded;
    const verdicts = await testEnvironment(admin, "prom-refused");
    expect(verdicts.find((v) => v.system === "prometheus")).toMatchObject({ ok: false, message: "Prometheus in environment prom-refused is unreachable." });
    expect(verdicts.find((v) => v.system === "kubernetes")).toMatchObject({ ok: true });
    expect(refused.forwarded).toBe(before);
  });

  it("a Prometheus that never answers times out with a verdict naming it", async () => {
    const verdicts = await testEnvironment(admin, "prom-silent");
    expect(verdicts).toEqual([expect.objectContaining({ system: "prometheus", ok: false, message: "Prometheus in environment prom-silent did not answer in time." })]);
  });
});
