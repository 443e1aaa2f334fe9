/**
 * docs/security.md 38 (issue #8 item 9): `npm run keys -- rotate-encryption` re-encrypts every
 * stored credential under a new key in one transaction, audited, printing neither key; the
 * environments then open (and connect to the stack's real Nacos and Kubernetes API) with the
 * new key and no longer with the old one. Credentials left under the session secret by an
 * older release are moved to the credential key at start, also audited.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { environments } from "@/db/schema";
import { testEnvironment } from "@/lib/environments/connect";
import { decryptSecrets, encryptSecrets } from "@/lib/environments/crypto";
import { createEnvironment } from "@/lib/environments/create-environment";
import { getEnvironment } from "@/lib/environments/environments";
import { adoptLegacyEncryptedCredentials } from "@/lib/environments/rekey";
import { resetServerEnvCache } from "@/lib/env";
import { resetAppSecretCache, resetEncryptionKeyCache } from "@/lib/secret";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const SECRET = "Rt5-session-secret-for-key-tests-Lm2nB8vC4xZ7qW1";
const OLD_KEY = "Ux4-old-credential-key-Pq9wEr2tYu6iOp1aSd3fGh8jKl";
const NEW_KEY = "Ka7-new-credential-key-Zx3cVb5nMq8wEr1tYu4iOp6aSd";

let pg: PostgresFixture;
let tmp = "";
const admin = actorWithRole("admin");
const saved = { ...process.env };

function useKey(key: string | undefined): void {
  if (key === undefined) delete process.env.SWITCHYARD_ENCRYPTION_KEY;
  else process.env.SWITCHYARD_ENCRYPTION_KEY = key;
  resetServerEnvCache();
  resetAppSecretCache();
  resetEncryptionKeyCache();
}

function input(name: string) {
  return {
    name,
    labels: { tier: "dev", site: "hz" },
    registry: { kind: "nacos" as const, url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [""] },
    kubernetes: {
      apiUrl: peerEnv("k8s", "K8S_URL"),
      caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"),
      auth: "client-certificate" as const,
      clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"),
      clientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8"),
    },
  };
}

async function keysCli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts/keys.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", DATABASE_URL: pg.appUrl, SWITCHYARD_SECRET: SECRET, SWITCHYARD_DATA_DIR: tmp, ...env } as unknown as NodeJS.ProcessEnv,
    timeout: 120_000,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sy-rekey-"));
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  process.env.SWITCHYARD_DATA_DIR = tmp;
  process.env.SWITCHYARD_SECRET = SECRET;
  useKey(OLD_KEY);
  pg = await freshPostgres("rekey");
  setProcessDatabase(pg.handle);
});
afterAll(async () => {
  for (const k of ["SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS", "SWITCHYARD_DATA_DIR", "SWITCHYARD_SECRET", "SWITCHYARD_ENCRYPTION_KEY"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetServerEnvCache();
  resetAppSecretCache();
  resetEncryptionKeyCache();
  await pg?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("npm run keys -- rotate-encryption", () => {
  it("refuses an unusable new key and changes nothing", async () => {
    await createEnvironment.execute(admin, input("rekey-a"), meta());
    await createEnvironment.execute(admin, input("rekey-b"), meta());
    for (const bad of ["", "short", "please-change-me-please-change-me-1234567", SECRET, OLD_KEY]) {
      const r = await keysCli(["rotate-encryption"], { SWITCHYARD_ENCRYPTION_KEY: OLD_KEY, SWITCHYARD_NEW_ENCRYPTION_KEY: bad });
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr).toMatch(/SWITCHYARD_NEW_ENCRYPTION_KEY/);
    }
    expect((await getEnvironment(admin, "rekey-a")).credentials).toHaveLength(3);
  });

  it("re-encrypts every stored credential under the new key, audited, without printing a key", async () => {
    const before = await pg.handle.db.select().from(environments);
    const keyFile = path.join(tmp, "new-key");
    fs.writeFileSync(keyFile, NEW_KEY + "\n", { mode: 0o600 });
    const r = await keysCli(["rotate-encryption", "--new-key-file", keyFile], { SWITCHYARD_ENCRYPTION_KEY: OLD_KEY });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/re-encrypted the credentials of 2 environment\(s\)/);
    for (const k of [OLD_KEY, NEW_KEY, SECRET]) {
      expect(r.stdout).not.toContain(k);
      expect(r.stderr).not.toContain(k);
    }

    const after = await pg.handle.db.select().from(environments);
    for (const row of after) {
      const was = before.find((b) => b.id === row.id)!;
      expect(row.secrets).not.toBe(was.secrets);
      expect(row.version).toBe(was.version);
      expect(() => decryptSecrets(OLD_KEY, row.id, row.secrets)).toThrow();
      expect(decryptSecrets(NEW_KEY, row.id, row.secrets)).toEqual(decryptSecrets(OLD_KEY, was.id, was.secrets));
    }

    // The console with the old key can no longer open them; with the new key they connect.
    useKey(OLD_KEY);
    await expect(getEnvironment(admin, "rekey-a")).rejects.toThrow();
    useKey(NEW_KEY);
    expect((await getEnvironment(admin, "rekey-a")).credentials).toEqual(["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"]);
    expect((await testEnvironment(admin, "rekey-b")).map((v) => [v.system, v.ok])).toEqual([
      ["nacos", true],
      ["kubernetes", true],
    ]);

    const audit = await pg.asAdmin((c) => c.query("SELECT phase, outcome, actor_id, target_kind, detail, row_to_json(a)::text AS t FROM audit_events a WHERE action = 'environment.credentials.rekey' ORDER BY id"));
    expect(audit.rows.map((a: { phase: string; outcome: string | null }) => [a.phase, a.outcome])).toEqual([
      ["intent", null],
      ["outcome", "succeeded"],
    ]);
    expect(audit.rows[1]).toMatchObject({ actor_id: "system", target_kind: "environment", detail: { count: 2, environments: ["rekey-a", "rekey-b"] } });
    for (const row of audit.rows as Array<{ t: string }>) for (const k of [OLD_KEY, NEW_KEY]) expect(row.t).not.toContain(k);
  });

  it("run again with the same keys, it finds nothing left to re-encrypt", async () => {
    const r = await keysCli(["rotate-encryption"], { SWITCHYARD_ENCRYPTION_KEY: OLD_KEY, SWITCHYARD_NEW_ENCRYPTION_KEY: NEW_KEY });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/re-encrypted the credentials of 0 environment\(s\); 2 already under the new key/);
  });

  it("a credential the old key cannot open aborts the rotation and nothing changes", async () => {
    const before = await pg.handle.db.select().from(environments);
    const r = await keysCli(["rotate-encryption"], { SWITCHYARD_ENCRYPTION_KEY: OLD_KEY, SWITCHYARD_NEW_ENCRYPTION_KEY: "Yb2-third-credential-key-Gh7jKl4zXc9vBn3mQw5eRt" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/rekey-a.*do(es)? not open with SWITCHYARD_ENCRYPTION_KEY; nothing was changed/);
    expect(await pg.handle.db.select().from(environments)).toEqual(before);
    const failed = await pg.asAdmin((c) => c.query("SELECT outcome FROM audit_events WHERE action = 'environment.credentials.rekey' AND phase = 'outcome' ORDER BY id DESC LIMIT 1"));
    expect(failed.rows[0]).toMatchObject({ outcome: "failed" });
  });
});

describe("credentials an older release encrypted under the session secret", () => {
  it("are moved to the credential key at start, audited", async () => {
    useKey(NEW_KEY);
    const [row] = await pg.handle.db.select().from(environments).where(eq(environments.name, "rekey-a"));
    const plain = decryptSecrets(NEW_KEY, row!.id, row!.secrets);
    await pg.handle.db.update(environments).set({ secrets: encryptSecrets(SECRET, row!.id, plain) }).where(eq(environments.id, row!.id));
    await expect(getEnvironment(admin, "rekey-a")).rejects.toThrow();

    expect(await adoptLegacyEncryptedCredentials(pg.handle.db)).toMatchObject({ count: 1, environments: ["rekey-a"], unreadable: [] });
    expect((await getEnvironment(admin, "rekey-a")).credentials).toEqual(["k8sClientCertPem", "k8sClientKeyPem", "nacosPassword"]);
    expect(await adoptLegacyEncryptedCredentials(pg.handle.db)).toMatchObject({ count: 0 });
    const audit = await pg.asAdmin((c) => c.query("SELECT detail FROM audit_events WHERE action = 'environment.credentials.rekey' AND phase = 'outcome' ORDER BY id DESC LIMIT 1"));
    expect(audit.rows[0].detail).toMatchObject({ count: 1, environments: ["rekey-a"], from: "session-secret" });
  });
});
