/**
 * Environments on real PostgreSQL, tested against the stack's real Nacos and Kubernetes API
 * server: credentials encrypted and never returned, logged or audited; scope; optimistic
 * concurrency; endpoint rules; test-connection verdicts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { auditEvents, environments } from "@/db/schema";
import { exportAudit } from "@/lib/audit/export";
import { auditRoles } from "@/lib/auth/actor";
import { testEnvironment } from "@/lib/environments/connect";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { getEnvironment, listEnvironments } from "@/lib/environments/environments";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { resetServerEnvCache } from "@/lib/env";
import { resetAppSecretCache } from "@/lib/secret";
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
    // An operator and a developer, both unscoped (the role lacks environment.admin), and a
    // developer bound to the very scope (tier=dev) of what they try to register.
    for (const actor of [actorWithRole("operator"), actorWithRole("developer"), devDeveloper]) {
      const m = meta();
      const envCount = (await pg.handle.db.select().from(environments)).length;
      const e = await createEnvironment.execute(actor, input("x", "dev"), m).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: "FORBIDDEN", status: 403 });
      // Exactly one row for the attempt: the `denied` outcome, no intent (nothing was attempted).
      const rows = await pg.handle.db.select().from(auditEvents).where(eq(auditEvents.requestId, m.requestId));
      expect(rows).toEqual([
        {
          id: expect.any(Number),
          createdAt: expect.any(String),
          requestId: m.requestId,
          phase: "outcome",
          outcome: "denied",
          action: "environment.create",
          actorId: actor.id,
          actorName: actor.username,
          actorSource: "local",
          actorRoles: auditRoles(actor),
          tokenId: null,
          environment: "x",
          namespace: null,
          targetKind: "environment",
          targetName: "x",
          versionBefore: null,
          versionAfter: null,
          before: null,
          after: null,
          detail: { permission: "environment.admin" },
          clientIp: m.clientIp,
          userAgent: m.userAgent,
          prevHash: expect.any(String),
          hash: expect.any(String),
        },
      ]);
      expect((await pg.handle.db.select().from(environments)).length).toBe(envCount);
      await expect(getEnvironment(admin, "x")).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

describe("credentials follow the endpoint (issue #8 item 10)", () => {
  const rowOf = async (name: string) => (await pg.handle.db.select().from(environments).where(eq(environments.name, name)))[0]!;
  const moved = (url: string, host: string) => {
    const u = new URL(url);
    u.hostname = host;
    return u.toString().replace(/\/$/, "");
  };

  it("a registry URL on another host without the password is refused naming the field, and nothing changes", async () => {
    const created = await createEnvironment.execute(admin, input("move-hz", "dev"), meta());
    const before = await rowOf("move-hz");
    const { registry, kubernetes, ...rest } = input("move-hz", "dev");
    const err = await updateEnvironment
      .execute(admin, { ...rest, registry: { ...registry, url: moved(registry.url, "localhost"), password: undefined }, kubernetes: { ...kubernetes, clientCertPem: undefined, clientKeyPem: undefined }, expectedVersion: created.version }, meta())
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: "VALIDATION", fields: [{ field: "registry.password", message: expect.stringMatching(/re-enter the credentials: the endpoint host changed/) }] });
    expect(await rowOf("move-hz")).toEqual(before);
  });

  it("a Kubernetes API URL on another host without the client key is refused naming the field, and nothing changes", async () => {
    const before = await rowOf("move-hz");
    const { registry, kubernetes, ...rest } = input("move-hz", "dev");
    const err = await updateEnvironment
      .execute(admin, { ...rest, registry: { ...registry, password: undefined }, kubernetes: { ...kubernetes, apiUrl: moved(kubernetes.apiUrl, "localhost"), clientCertPem: undefined, clientKeyPem: undefined }, expectedVersion: before.version }, meta())
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: "VALIDATION", fields: [{ field: "kubernetes.clientKeyPem", message: expect.stringMatching(/endpoint host changed/) }] });
    expect(await rowOf("move-hz")).toEqual(before);
  });

  it("the same host on another path keeps the stored credentials", async () => {
    const before = await rowOf("move-hz");
    const { registry, kubernetes, ...rest } = input("move-hz", "dev");
    const changed = await updateEnvironment.execute(
      admin,
      { ...rest, registry: { ...registry, url: `${registry.url}/`, password: undefined }, kubernetes: { ...kubernetes, apiUrl: `${kubernetes.apiUrl}/`, clientCertPem: undefined, clientKeyPem: undefined }, expectedVersion: before.version },
      meta(),
    );
    expect(changed).toMatchObject({ version: before.version + 1, credentials: ["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"] });
    const other = await updateEnvironment.execute(admin, { ...rest, registry: { ...registry, url: `${new URL(registry.url).origin}/elsewhere`, password: undefined }, kubernetes: { ...kubernetes, clientCertPem: undefined, clientKeyPem: undefined }, expectedVersion: changed.version }, meta());
    expect(other.credentials).toEqual(["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"]);
  });

  it("another host with the credentials re-entered is accepted and connects", async () => {
    const before = await getEnvironment(admin, "move-hz");
    const { registry, kubernetes, ...rest } = input("move-hz", "dev");
    const changed = await updateEnvironment.execute(admin, { ...rest, registry: { ...registry, url: moved(registry.url, "localhost") }, kubernetes: { ...kubernetes, apiUrl: moved(kubernetes.apiUrl, "localhost") }, expectedVersion: before.version }, meta());
    expect(changed).toMatchObject({ version: before.version + 1, registry: { url: moved(registry.url, "localhost") }, credentials: ["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"] });
    expect((await testEnvironment(admin, "move-hz")).find((v) => v.system === "nacos")).toMatchObject({ ok: true });
  });

  it("a backend without stored credentials may move without any", async () => {
    const { registry, ...rest } = input("anon-hz", "dev");
    const created = await createEnvironment.execute(admin, { ...rest, kubernetes: null, registry: { ...registry, username: undefined, password: undefined } }, meta());
    expect(created.credentials).toEqual([]);
    const changed = await updateEnvironment.execute(admin, { ...rest, kubernetes: null, registry: { ...registry, url: moved(registry.url, "localhost"), username: undefined, password: undefined }, expectedVersion: created.version }, meta());
    expect(changed.registry).toMatchObject({ url: moved(registry.url, "localhost") });
  });
});

describe("the credential key is not the session secret (issue #8 item 9)", () => {
  const saved = { ...process.env };
  let tmp = "";
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sy-keys-"));
    process.env.SWITCHYARD_DATA_DIR = tmp;
    delete process.env.SWITCHYARD_ENCRYPTION_KEY;
    process.env.SWITCHYARD_SECRET = "Zq3-first-session-secret-Hk9wLp2XvB7nR4tY8uM1cE6";
    resetServerEnvCache();
    resetAppSecretCache();
  });
  afterAll(() => {
    for (const k of ["SWITCHYARD_DATA_DIR", "SWITCHYARD_SECRET", "SWITCHYARD_ENCRYPTION_KEY"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetServerEnvCache();
    resetAppSecretCache();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("rotating the session secret (ending every session) keeps every environment readable", async () => {
    await createEnvironment.execute(admin, input("rotate-hz", "dev"), meta());
    process.env.SWITCHYARD_SECRET = "Wm8-second-session-secret-Jd4rTq7ZsN1bV5yK9pX2aF3";
    resetServerEnvCache();
    resetAppSecretCache();
    expect((await getEnvironment(admin, "rotate-hz")).credentials).toEqual(["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"]);
    expect((await testEnvironment(admin, "rotate-hz")).map((v) => [v.system, v.ok])).toEqual([
      ["nacos", true],
      ["kubernetes", true],
    ]);
  });
});
