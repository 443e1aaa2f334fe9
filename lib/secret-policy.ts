/**
 * What makes a signing secret or the credential key unusable. Pure, so the start-up check and
 * its tests share it.
 */

/** Values that appear in documentation, samples and other products' defaults. */
const KNOWN_SAMPLES = [
  "changeme",
  "change-me",
  "secret",
  "password",
  "your-secret-here",
  "replace-me",
  "SecretKey012345678901234567890123456789012345678901234567890123456789",
  "VGhpc0lzTXlDdXN0b21TZWNyZXRLZXkwMTIzNDU2Nzg5",
  "VGhpc0lzTXlDdXN0b21TZWNyZXRLZXkwMTIzNDU2Nzg=",
  "development-secret-please-change-me-0123456789",
  "switchyard-example-secret-do-not-use-in-production",
];

export class UnusableSecretError extends Error {}

export function assertUsableSecret(secret: string, name = "SWITCHYARD_SECRET"): void {
  const trimmed = secret.trim();
  if (trimmed === "") {
    throw new UnusableSecretError(`${name} is empty; generate one with \`openssl rand -base64 48\`.`);
  }
  if (Buffer.byteLength(trimmed, "utf8") < 32) {
    throw new UnusableSecretError(`${name} must be at least 32 bytes; generate one with \`openssl rand -base64 48\`.`);
  }
  const lower = trimmed.toLowerCase();
  if (KNOWN_SAMPLES.some((s) => s.toLowerCase() === lower) || /change.?me|example|sample|placeholder|your.?(secret|key)/i.test(trimmed)) {
    throw new UnusableSecretError(`${name} is a sample value from documentation; generate your own with \`openssl rand -base64 48\`.`);
  }
  if (new Set(trimmed).size < 12) {
    throw new UnusableSecretError(`${name} has too little variety to be random; generate one with \`openssl rand -base64 48\`.`);
  }
}

/**
 * The master key of stored credentials (docs/security.md §38): as strong as the session
 * secret, and never the session secret itself — rotating the secret to end every session
 * must not make the stored credentials unreadable. Messages name the variable, never the value.
 */
export function assertUsableEncryptionKey(key: string, sessionSecret: string | undefined, name = "SWITCHYARD_ENCRYPTION_KEY"): void {
  assertUsableSecret(key, name);
  if (sessionSecret !== undefined && key.trim() === sessionSecret.trim()) {
    throw new UnusableSecretError(`${name} must differ from SWITCHYARD_SECRET: rotating the session secret must not lock away the stored credentials. Generate one with \`openssl rand -base64 48\`.`);
  }
}
