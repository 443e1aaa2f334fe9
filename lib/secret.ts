/**
 * The application secret: signs and encrypts sessions and derives the key that encrypts
 * stored credentials. There is no built-in value (SECURITY.md 3, Nacos CVE-2021-43116):
 * a production deployment must set SWITCHYARD_SECRET; the embedded default generates
 * one into the data directory on first start.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, isProductionDeployment, serverEnv } from "@/lib/env";
import { assertUsableSecret } from "@/lib/secret-policy";

let cached: string | undefined;

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
  cached = embeddedSecret();
  return cached;
}

function embeddedSecret(): string {
  const file = path.join(dataDir(), "secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    assertUsableSecret(existing);
    return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  // wx: never overwrite a secret another process wrote a moment ago.
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw e;
  }
  return secret;
}

export function resetAppSecretCache(): void {
  cached = undefined;
}
