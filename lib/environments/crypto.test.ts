import { describe, expect, it } from "vitest";
import { decryptSecrets, encryptSecrets } from "@/lib/environments/crypto";

const master = "q8Zr1Kx0-3fJv9YwT5nB2mL7cH4sD6gA1eR8uP0oI3kW5yQ2";

describe("environment secrets (docs/security.md §31)", () => {
  it("round-trips and never shows the plaintext", () => {
    const blob = encryptSecrets(master, "env-1", { nacosPassword: "S3cr3t" });
    expect(blob).not.toContain("S3cr3t");
    expect(decryptSecrets(master, "env-1", blob)).toEqual({ nacosPassword: "S3cr3t" });
  });
  it("uses a fresh IV each time", () => {
    expect(encryptSecrets(master, "env-1", { a: "b" })).not.toBe(encryptSecrets(master, "env-1", { a: "b" }));
  });
  it("is bound to the environment id: a blob copied to another environment does not open", () => {
    const blob = encryptSecrets(master, "env-1", { nacosPassword: "S3cr3t" });
    expect(() => decryptSecrets(master, "env-2", blob)).toThrow();
  });
  it("refuses a tampered blob and a wrong key", () => {
    const blob = encryptSecrets(master, "env-1", { k: "v" });
    const bytes = Buffer.from(blob.slice(3), "base64");
    bytes[14] = bytes[14]! ^ 1;
    expect(() => decryptSecrets(master, "env-1", `v1:${bytes.toString("base64")}`)).toThrow();
    expect(() => decryptSecrets(master + "x", "env-1", blob)).toThrow();
  });
});
