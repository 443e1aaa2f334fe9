import { describe, expect, it } from "vitest";
import { assertUsableEncryptionKey, assertUsableSecret, UnusableSecretError } from "@/lib/secret-policy";

describe("assertUsableSecret (docs/security.md §3)", () => {
  it.each([
    ["too short", "abc123"],
    ["31 bytes", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0e"],
    ["Nacos default token.secret.key", "SecretKey012345678901234567890123456789012345678901234567890123456789"],
    ["docs sample", "VGhpc0lzTXlDdXN0b21TZWNyZXRLZXkwMTIzNDU2Nzg5"],
    ["a change-me value", "please-change-me-please-change-me-1234567"],
    ["one repeated character", "a".repeat(64)],
  ])("refuses %s", (_name, value) => {
    expect(() => assertUsableSecret(value)).toThrow(UnusableSecretError);
  });

  it("accepts a random 48-byte value", () => {
    expect(() => assertUsableSecret("q8Zr1Kx0-3fJv9YwT5nB2mL7cH4sD6gA1eR8uP0oI3kW5yQ2")).not.toThrow();
  });
});

describe("assertUsableEncryptionKey (docs/security.md §38)", () => {
  const secret = "q8Zr1Kx0-3fJv9YwT5nB2mL7cH4sD6gA1eR8uP0oI3kW5yQ2";
  it.each([
    ["empty", "", /SWITCHYARD_ENCRYPTION_KEY is empty/],
    ["blank", "   \n", /SWITCHYARD_ENCRYPTION_KEY is empty/],
    ["short", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0e", /SWITCHYARD_ENCRYPTION_KEY must be at least 32 bytes/],
    ["a sample", "please-change-me-please-change-me-1234567", /SWITCHYARD_ENCRYPTION_KEY is a sample value/],
    ["a documented placeholder", "your-encryption-key-placeholder-0123456789abcdef", /SWITCHYARD_ENCRYPTION_KEY is a sample value/],
    ["low variety", "ab".repeat(32), /SWITCHYARD_ENCRYPTION_KEY has too little variety/],
    ["the session secret", secret, /must differ from SWITCHYARD_SECRET/],
    ["the session secret with a trailing newline", `${secret}\n`, /must differ from SWITCHYARD_SECRET/],
  ])("refuses %s", (_name, value, message) => {
    expect(() => assertUsableEncryptionKey(value, secret)).toThrow(UnusableSecretError);
    expect(() => assertUsableEncryptionKey(value, secret)).toThrow(message);
  });

  it("names the variable it checks and never echoes the value", () => {
    const err = (() => {
      try {
        assertUsableEncryptionKey(secret, secret, "SWITCHYARD_NEW_ENCRYPTION_KEY");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/^SWITCHYARD_NEW_ENCRYPTION_KEY must differ/);
    expect(err?.message).not.toContain(secret);
  });

  it("accepts a random 48-byte value that is not the secret", () => {
    expect(() => assertUsableEncryptionKey("Ka7-new-credential-key-Zx3cVb5nMq8wEr1tYu4iOp6aSd", secret)).not.toThrow();
  });
});
