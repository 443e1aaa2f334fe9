import { describe, expect, it } from "vitest";
import { assertUsableSecret, UnusableSecretError } from "@/lib/secret-policy";

describe("assertUsableSecret (SECURITY.md 3)", () => {
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
