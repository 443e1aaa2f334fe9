/**
 * The application secret and the credential key, two different values (docs/security.md 3
 * and 38).
 *
 * The secret signs and encrypts sessions; rotating it ends every session. There is no
 * built-in value (Nacos CVE-2021-43116): a production deployment must set SWITCHYARD_SECRET;
 * the embedded default generates one into the data directory on first start.
 *
 * The credential key (SWITCHYARD_ENCRYPTION_KEY) is the master key of the backend credentials
 * stored with each environment (lib/environments/crypto.ts). It is validated like the secret,
 * must differ from it, is required on PostgreSQL in production, and is generated into the
 * data directory next to the secret otherwise. It is rotated with
 * `npm run keys -- rotate-encryption` (scripts/keys.ts), never by rotating the secret.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, isProductionDeployment, serverEnv } from "@/lib/env";
import { assertUsableEncryptionKey, assertUsableSecret } from "@/lib/secret-policy";

let cached: string | undefined;
let cachedKey: string | undefined;

export function appSecret(): string {
  if (cached) return cached;
  const env = serverEnv();
  if (env.SWITCHYARD_SECRET !== undefined) {
    assertUsableSecret(env.SWITCHYARD_SECRET);
    cached = env.SWITCHYARD_SECRET;
    return cached;
  }
  if (isProductionDeployment(env)) {
    throw new Error("SWITCHYARD_SECRET is required in production (NODE_ENV=production with DATABASE_URL): generate one with `openssl rand -base64 48`.");
  }
  cached = generatedInDataDir("secret", (v) => assertUsableSecret(v));
  return cached;
}

/** The master key of stored credentials (docs/security.md §38). */
export function encryptionKey(): string {
  if (cachedKey) return cachedKey;
  const env = serverEnv();
  const configured = process.env.SWITCHYARD_ENCRYPTION_KEY;
  const secret = appSecret();
  if (configured !== undefined) {
    assertUsableEncryptionKey(configured, secret);
    cachedKey = configured;
    return cachedKey;
  }
  if (isProductionDeployment(env)) {
    throw new Error(
      "SWITCHYARD_ENCRYPTION_KEY is required in production (NODE_ENV=production with DATABASE_URL), apart from SWITCHYARD_SECRET: " +
        "generate one with `openssl rand -base64 48`. Credentials an older release stored under the session secret are moved to it at start.",
    );
  }
  cachedKey = generatedInDataDir("encryption-key", (v) => assertUsableEncryptionKey(v, secret));
  return cachedKey;
}

/** Reads `<data dir>/<name>`, or creates it with 48 random bytes (0600) on first use. */
function generatedInDataDir(name: string, validate: (value: string) => void): string {
  const file = path.join(dataDir(), name);
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    validate(existing);
    return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = randomBytes(48).toString("base64url");
  // wx: never overwrite a value another process wrote a moment ago.
  try {
    fs.writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw e;
  }
  return value;
}

/** Where the embedded default keeps its generated credential key (scripts/keys.ts replaces it). */
export function generatedEncryptionKeyFile(): string | null {
  return process.env.SWITCHYARD_ENCRYPTION_KEY === undefined && !isProductionDeployment() ? path.join(dataDir(), "encryption-key") : null;
}

export function resetAppSecretCache(): void {
  cached = undefined;
}

export function resetEncryptionKeyCache(): void {
  cachedKey = undefined;
}
