/**
 * What makes a signing secret unusable. Pure, so the start-up check and its tests share it.
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

export function assertUsableSecret(secret: string): void {
  const trimmed = secret.trim();
  if (Buffer.byteLength(trimmed, "utf8") < 32) {
    throw new UnusableSecretError("SWITCHYARD_SECRET must be at least 32 bytes; generate one with `openssl rand -base64 48`.");
  }
  const lower = trimmed.toLowerCase();
  if (KNOWN_SAMPLES.some((s) => s.toLowerCase() === lower) || /change.?me|example|sample|placeholder|your.?secret/i.test(trimmed)) {
    throw new UnusableSecretError("SWITCHYARD_SECRET is a sample value from documentation; generate your own with `openssl rand -base64 48`.");
  }
  if (new Set(trimmed).size < 12) {
    throw new UnusableSecretError("SWITCHYARD_SECRET has too little variety to be random; generate one with `openssl rand -base64 48`.");
  }
}
