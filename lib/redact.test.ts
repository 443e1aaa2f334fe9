import { describe, expect, it } from "vitest";
import { REDACTED, redactInlineSecrets, redactSecrets, redactSecretsInText } from "@/lib/redact";

describe("redactSecrets", () => {
  it("redacts secret-looking keys at any depth, keeps the rest", () => {
    const out = redactSecrets({ user: "alice", password: "S3cr3t", nested: { apiKey: "k", token: "t", list: [{ clientSecret: "c" }] }, count: 3 });
    expect(out).toEqual({ user: "alice", password: REDACTED, nested: { apiKey: REDACTED, token: REDACTED, list: [{ clientSecret: REDACTED }] }, count: 3 });
  });
  it("does not touch the input and survives cycles", () => {
    const a: Record<string, unknown> = { password: "x" };
    a.self = a;
    const out = redactSecrets(a) as Record<string, unknown>;
    expect(a.password).toBe("x");
    expect(out.self).toBe("[cycle]");
  });
});

describe("redactSecretsInText", () => {
  it("redacts properties and YAML secret lines (SECURITY.md 21)", () => {
    const text = "db.url=jdbc:x\ndb.password=S3cr3t\nspring:\n  datasource:\n    password: S3cr3t\n  api-key: abc\nname: ok";
    const out = redactSecretsInText(text);
    expect(out).not.toContain("S3cr3t");
    expect(out).not.toContain("abc");
    expect(out).toContain("db.url=jdbc:x");
    expect(out).toContain("name: ok");
  });
});

describe("redactInlineSecrets", () => {
  it("redacts key=value and key: value inside free text", () => {
    const out = redactInlineSecrets('connect failed user=nacos password=hunter2 at x; {"accessToken":"eyJ.abc"} db.password: "S3"');
    expect(out).not.toMatch(/hunter2|eyJ\.abc|S3"/);
    expect(out).toContain("user=nacos");
  });
});
