/**
 * Credentials at rest (docs/security.md §31): AES-256-GCM, a fresh 96-bit IV per write, the key
 * derived with HKDF-SHA256 from the credential key (lib/secret.ts encryptionKey(): never the
 * session secret, docs/security.md §38) and bound to the environment id, which is also the
 * additional authenticated data. A blob copied to another environment's row does not
 * decrypt. Rotation re-encrypts every blob (lib/environments/rekey.ts).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

function key(master: string, environmentId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(master, "utf8"), Buffer.from("switchyard/environment-secrets/v1"), Buffer.from(environmentId, "utf8"), 32));
}

export function encryptSecrets(master: string, environmentId: string, secrets: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(master, environmentId), iv);
  cipher.setAAD(Buffer.from(environmentId, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")}`;
}

export function decryptSecrets(master: string, environmentId: string, blob: string | null): Record<string, string> {
  if (!blob) return {};
  const [version, data] = blob.split(":");
  if (version !== VERSION || !data) throw new Error("environment secrets: unknown format");
  const raw = Buffer.from(data, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(master, environmentId), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(environmentId, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  return JSON.parse(plain) as Record<string, string>;
}
