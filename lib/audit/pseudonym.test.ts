/**
 * A failed sign-in names an unknown username by a keyed hash, never by the text typed
 * (docs/security.md §21): the text may be a password typed into the wrong field.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pseudonymizeUsername } from "@/lib/audit/pseudonym";
import { resetServerEnvCache } from "@/lib/env";
import { resetAppSecretCache } from "@/lib/secret";

const saved = process.env.SWITCHYARD_SECRET;

function useSecret(s: string): void {
  process.env.SWITCHYARD_SECRET = s;
  resetServerEnvCache();
  resetAppSecretCache();
}

beforeEach(() => useSecret(randomBytes(48).toString("base64url")));
afterEach(() => {
  if (saved === undefined) delete process.env.SWITCHYARD_SECRET;
  else process.env.SWITCHYARD_SECRET = saved;
  resetServerEnvCache();
  resetAppSecretCache();
});

describe("pseudonymizeUsername", () => {
  it("is stable: the same username (in any letter case) gives the same pseudonym", () => {
    expect(pseudonymizeUsername("mallory")).toBe(pseudonymizeUsername("mallory"));
    expect(pseudonymizeUsername("Mallory")).toBe(pseudonymizeUsername("mallory"));
  });

  it("tells different usernames apart", () => {
    const names = ["mallory", "mallory2", "trudy", "Tr0ub4dor&3", "", "  mallory"];
    expect(new Set(names.map(pseudonymizeUsername)).size).toBe(names.length);
  });

  it("is only a prefix and hex: the typed text (say, a password) never appears", () => {
    for (const typed of ["correct horse battery staple", "Tr0ub4dor&3", "mallory@example.com", "p\u00e4ssw\u00f6rd"]) {
      const p = pseudonymizeUsername(typed);
      expect(p).toMatch(/^unknown:[0-9a-f]{16}$/);
      expect(p).not.toContain(typed);
      expect(p.toLowerCase()).not.toContain(typed.toLowerCase());
    }
  });

  it("is keyed by the app secret: another secret gives another pseudonym, and it is not a plain hash", async () => {
    const before = pseudonymizeUsername("mallory");
    useSecret(randomBytes(48).toString("base64url"));
    expect(pseudonymizeUsername("mallory")).not.toBe(before);
    const { createHash } = await import("node:crypto");
    expect(before.slice("unknown:".length)).not.toBe(createHash("sha256").update("mallory").digest("hex").slice(0, 16));
  });
});
