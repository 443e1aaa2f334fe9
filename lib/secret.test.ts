/**
 * docs/security.md 38 (issue #8 item 9): which key encrypts stored credentials. Validated like
 * the session secret, never the session secret, required on PostgreSQL in production, and
 * generated into the data directory (next to the generated secret) on the embedded default.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetServerEnvCache } from "@/lib/env";
import { appSecret, encryptionKey, resetAppSecretCache, resetEncryptionKeyCache } from "@/lib/secret";

const SECRET = "q8Zr1Kx0-3fJv9YwT5nB2mL7cH4sD6gA1eR8uP0oI3kW5yQ2";
const KEY = "Ka7-new-credential-key-Zx3cVb5nMq8wEr1tYu4iOp6aSd";
const VARS = ["NODE_ENV", "DATABASE_URL", "SWITCHYARD_SECRET", "SWITCHYARD_ENCRYPTION_KEY", "SWITCHYARD_DATA_DIR"] as const;
const saved: Record<string, string | undefined> = {};
let tmp = "";

function configure(env: Partial<Record<(typeof VARS)[number], string>>): void {
  for (const k of VARS) delete (process.env as Record<string, string | undefined>)[k];
  Object.assign(process.env, { SWITCHYARD_DATA_DIR: tmp, ...env });
  resetServerEnvCache();
  resetAppSecretCache();
  resetEncryptionKeyCache();
}

const production = { NODE_ENV: "production", DATABASE_URL: "postgres://app:pw@db.example:5432/switchyard", SWITCHYARD_SECRET: SECRET };

beforeEach(() => {
  for (const k of VARS) saved[k] = process.env[k];
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sy-secret-"));
});
afterEach(() => {
  for (const k of VARS) {
    if (saved[k] === undefined) delete (process.env as Record<string, string | undefined>)[k];
    else (process.env as Record<string, string | undefined>)[k] = saved[k];
  }
  resetServerEnvCache();
  resetAppSecretCache();
  resetEncryptionKeyCache();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("encryptionKey() on PostgreSQL in production", () => {
  it("is required: it no longer falls back to the session secret", () => {
    configure(production);
    expect(() => encryptionKey()).toThrow(/SWITCHYARD_ENCRYPTION_KEY is required/);
  });
  it.each([
    ["empty", "", /SWITCHYARD_ENCRYPTION_KEY is empty/],
    ["short", "0123456789abcdef", /at least 32 bytes/],
    ["a sample", "switchyard-example-secret-do-not-use-in-production", /sample value/],
    ["the session secret", SECRET, /must differ from SWITCHYARD_SECRET/],
  ])("refuses %s", (_name, value, message) => {
    configure({ ...production, SWITCHYARD_ENCRYPTION_KEY: value });
    expect(() => encryptionKey()).toThrow(message);
  });
  it("uses a usable key as given", () => {
    configure({ ...production, SWITCHYARD_ENCRYPTION_KEY: KEY });
    expect(encryptionKey()).toBe(KEY);
  });
});

describe("encryptionKey() on the embedded default", () => {
  it("an explicit empty key is refused there too", () => {
    configure({ SWITCHYARD_ENCRYPTION_KEY: "" });
    expect(() => encryptionKey()).toThrow(/SWITCHYARD_ENCRYPTION_KEY is empty/);
  });

  it("is generated once into the data directory, apart from the generated secret, and survives a secret rotation", () => {
    configure({});
    const key = encryptionKey();
    const file = path.join(tmp, "encryption-key");
    expect(fs.readFileSync(file, "utf8").trim()).toBe(key);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(key).not.toBe(appSecret());
    expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(32);

    // Rotating the session secret (the README's way to end every session) keeps the key.
    fs.rmSync(path.join(tmp, "secret"));
    configure({ SWITCHYARD_SECRET: SECRET });
    expect(appSecret()).toBe(SECRET);
    expect(encryptionKey()).toBe(key);
  });

  it("refuses a key file someone overwrote with the session secret", () => {
    configure({ SWITCHYARD_SECRET: SECRET });
    fs.writeFileSync(path.join(tmp, "encryption-key"), SECRET + "\n", { mode: 0o600 });
    expect(() => encryptionKey()).toThrow(/must differ from SWITCHYARD_SECRET/);
  });
});
