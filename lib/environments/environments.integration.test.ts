/**
 * Environments on real PostgreSQL, tested against the stack's real Nacos and Kubernetes API
 * server: credentials encrypted and never returned, logged or audited; scope; optimistic
 * concurrency; endpoint rules; test-connection verdicts.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db";
import { environments } from "@/db/schema";
import { exportAudit } from "@/lib/audit/export";
import { testEnvironment } from "@/lib/environments/connect";
import { createEnvironment, deleteEnvironment, getEnvironment, listEnvironments, updateEnvironment } from "@/lib/environments/environments";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

let pg: PostgresFixture;
const admin = actorWithRole("admin");
const devDeveloper = actorWithRole("developer", { env: "tier=dev" });
let nacosPassword = "";
let keyPem = "";

function input(name: string, tier: string, nacosUrl = peerEnv("nacos", "NACOS_URL")) {
  return {
    name,
    labels: { tier, site: "hz" },
    registry: { kind: "nacos" as const, url: nacosUrl, username: peerEnv("nacos", "NACOS_USERNAME"), password: nacosPassword, namespaces: [""] },
    kubernetes: {
      apiUrl: peerEnv("k8s", "K8S_URL"),
      caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"),
      auth: "client-certificate" as const,
      clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"),
      clientKeyPem: keyPem,
    },
  };
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  nacosPassword = peerEnv("nacos", "NACOS_PASSWORD");
  keyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  pg = await freshPostgres("envs");
  setProcessDatabase(pg.handle);
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

describe("environments", () => {
  it("an admin registers prod and dev; credentials are stored encrypted and never returned", async () => {
    const prod = await createEnvironment.execute(admin, input("prod-hz-j", "prod"), meta());
    await createEnvironment.execute(admin, input("dev-hz", "dev"), meta());
    expect(prod.credentials).toEqual(["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"]);
    const shown = JSON.stringify(await getEnvironment(admin, "prod-hz-j"));
    expect(shown).not.toContain(nacosPassword);
    expect(shown).not.toContain("PRIVATE KEY");
    const [row] = await pg.handle.db.select().from(environments).limit(1);
    expect(row!.secrets).toMatch(/^v1:/);
    expect(row!.secrets).not.toContain(nacosPassword);
  });

  it("SECURITY 21/31: no credential appears in any audit row or export", async () => {
    const rows = await pg.asAdmin((c) => c.query("SELECT row_to_json(a)::text AS t FROM audit_events a"));
    const all = rows.rows.map((r: { t: string }) => r.t).join("\n");
    expect(all).toContain("prod-hz-j");
    expect(all).not.toContain(nacosPassword);
    expect(all).not.toContain("PRIVATE KEY");
    const exported = await new Response(await exportAudit(admin, {}, "jsonl", meta())).text();
    expect(exported).not.toContain(nacosPassword);
    expect(exported).not.toContain("PRIVATE KEY");
  });

  it("scope: a developer bound to tier=dev sees only dev, and prod is 404 by name", async () => {
    expect((await listEnvironments(devDeveloper)).map((e) => e.name)).toEqual(["dev-hz"]);
    await expect(getEnvironment(devDeveloper, "prod-hz-j")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(testEnvironment(devDeveloper, "prod-hz-j")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("test connection gives a verdict per backend from the real servers", async () => {
    const verdicts = await testEnvironment(admin, "prod-hz-j");
    expect(verdicts.map((v) => [v.system, v.ok])).toEqual([
      ["nacos", true],
      ["kubernetes", true],
    ]);
    expect(verdicts[0]!.message).toMatch(/Nacos .*answered/);
  });

  it("an unreachable Nacos is named in the verdict, and nothing else fails", async () => {
    const nacos = new URL(peerEnv("nacos", "NACOS_URL"));
    const proxy = await startFaultProxy({ host: nacos.hostname, port: Number(nacos.port) }, "refuse");
    try {
      await createEnvironment.execute(admin, input("prod-hz-k", "prod", `${proxy.url()}${nacos.pathname}`), meta());
      const verdicts = await testEnvironment(admin, "prod-hz-k");
      expect(verdicts.find((v) => v.system === "nacos")).toMatchObject({ ok: false, message: expect.stringMatching(/Nacos.*prod-hz-k.*unreachable/) });
      expect(verdicts.find((v) => v.system === "kubernetes")).toMatchObject({ ok: true });
    } finally {
      await proxy.close();
    }
  });

  it("updates keep stored credentials, refuse a stale version, and delete needs the current one", async () => {
    const before = await getEnvironment(admin, "dev-hz");
    const { registry, kubernetes, ...rest } = input("dev-hz", "dev");
    const changed = await updateEnvironment.execute(
      admin,
      { ...rest, labels: { tier: "dev", site: "sh" }, registry: { ...registry, password: undefined }, kubernetes: { ...kubernetes, clientKeyPem: undefined, clientCertPem: undefined }, expectedVersion: before.version },
      meta(),
    );
    expect(changed).toMatchObject({ version: before.version + 1, labels: { site: "sh" }, credentials: ["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"] });
    await expect(updateEnvironment.execute(admin, { ...input("dev-hz", "dev"), expectedVersion: before.version }, meta())).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(deleteEnvironment.execute(admin, { name: "dev-hz", expectedVersion: before.version }, meta())).rejects.toMatchObject({ code: "CONFLICT" });
    await deleteEnvironment.execute(admin, { name: "dev-hz", expectedVersion: changed.version }, meta());
    await expect(getEnvironment(admin, "dev-hz")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("SECURITY 30: private endpoints are refused unless allowed, naming the field", async () => {
    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    try {
      await expect(createEnvironment.execute(admin, input("lab", "dev"), meta())).rejects.toMatchObject({ code: "VALIDATION", fields: [{ field: "registry.url" }] });
      await expect(
        createEnvironment.execute(admin, { name: "lab", registry: { kind: "nacos", url: "http://user:pw@nacos.example:8848/nacos", namespaces: [""] } }, meta()),
      ).rejects.toMatchObject({ code: "VALIDATION" });
    } finally {
      process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    }
  });

  it("operators and developers cannot register environments (403, audited as denied)", async () => {
    await expect(createEnvironment.execute(actorWithRole("operator"), input("x", "dev"), meta())).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
