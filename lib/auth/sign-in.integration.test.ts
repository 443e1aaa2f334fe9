/**
 * Sign-in against the stack's real OpenLDAP and PostgreSQL, one test per SECURITY.md item
 * it covers (7–12, 14, 15). Groups map to roles through role bindings; deny by default.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { Attribute, Change, Client as LdapClient } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db";
import { roleBindings, users } from "@/db/schema";
import { actorFromCookies, actorFromToken } from "@/lib/auth/authenticate";
import { sessionCookieName } from "@/lib/auth/cookies";
import { decide } from "@/lib/auth/rbac";
import { sessionCookieHeader } from "@/lib/auth/session-cookie";
import { signIn } from "@/lib/auth/sign-in";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { hashPassword } from "@/lib/auth/password";
import { updatePreferences } from "@/lib/profile/update-preferences";
import { meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { groupDn, ldapPassword, useStackLdap, userDn } from "@/lib/testing/ldap-env";
import { peerEnv } from "@/lib/testing/peers";
import { eq } from "drizzle-orm";

let pg: PostgresFixture;
const client = { clientIp: "127.0.0.9", userAgent: "vitest" };

async function cookieJarFor(userId: string, sessionId: string) {
  const header = await sessionCookieHeader(userId, sessionId);
  const value = header.split(";")[0]!.split("=").slice(1).join("=");
  return { get: (name: string) => (name === sessionCookieName() ? { value } : undefined) };
}

async function actorAfterSignIn(username: string, password: string) {
  const s = await signIn({ username, password, source: "ldap" }, client);
  if (!s) return null;
  return actorFromCookies(await cookieJarFor(s.userId, s.sessionId));
}

async function withLdapAdmin<T>(fn: (c: LdapClient) => Promise<T>): Promise<T> {
  const c = new LdapClient({ url: peerEnv("ldap", "LDAP_URL"), timeout: 5_000, connectTimeout: 5_000 });
  await c.startTLS({ ca: fs.readFileSync(peerEnv("ldap", "LDAP_CA"), "utf8") });
  await c.bind(peerEnv("ldap", "LDAP_ADMIN_DN"), peerEnv("ldap", "LDAP_ADMIN_PASSWORD"));
  try {
    return await fn(c);
  } finally {
    await c.unbind();
  }
}

beforeAll(async () => {
  pg = await freshPostgres("signin");
  setProcessDatabase(pg.handle);
  useStackLdap({ SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER: "3", SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP: "1000", SWITCHYARD_LDAP_REFRESH_MINUTES: "0.02" });
  const bind = (subject: string, role: "operator" | "developer" | "auditor", env = "*") =>
    ({ id: randomUUID(), subjectKind: "group" as const, subject: subject.toLowerCase(), role, environmentSelector: env, namespacePattern: "*", createdBy: "test" });
  await pg.handle.db.insert(roleBindings).values([
    bind(groupDn("platform-ops"), "operator"),
    bind(groupDn("dev-team"), "developer", "tier=dev"),
    bind(groupDn("auditors"), "auditor"),
  ]);
});
afterAll(async () => pg?.drop());

describe("LDAP sign-in", () => {
  it("alice (platform-ops) signs in over StartTLS and gets operator through her group", async () => {
    const actor = await actorAfterSignIn("alice", ldapPassword("alice"));
    expect(actor).toMatchObject({ username: "alice", source: "ldap" });
    expect(actor!.grants.map((g) => g.role)).toEqual(["operator"]);
    expect(decide(actor!.grants, "mesh.policy.write")).toBe(true);
    const [row] = await pg.handle.db.select().from(users).where(eq(users.username, "alice"));
    expect(row!.externalId).toBe(userDn("alice")); // keyed by DN, never by mail
  });

  it("SECURITY 12: dave (no mapped group) signs in to no access — deny by default", async () => {
    const actor = await actorAfterSignIn("dave", ldapPassword("dave"));
    expect(actor).not.toBeNull();
    expect(actor!.grants).toEqual([]);
    expect(decide(actor!.grants, "service.read")).toBe(false);
  });

  it("erin gets the union of her two groups' roles", async () => {
    const actor = await actorAfterSignIn("erin", ldapPassword("erin"));
    expect(actor!.grants.map((g) => g.role).sort()).toEqual(["developer", "operator"]);
  });

  it("SECURITY 12: removing bob from dev-team takes effect within the refresh interval", async () => {
    const s = await signIn({ username: "bob", password: ldapPassword("bob"), source: "ldap" }, client);
    const jar = await cookieJarFor(s!.userId, s!.sessionId);
    expect((await actorFromCookies(jar))!.grants.map((g) => g.role)).toEqual(["developer"]);
    const change = (operation: "add" | "delete") => new Change({ operation, modification: new Attribute({ type: "member", values: [userDn("bob")] }) });
    await withLdapAdmin((c) => c.modify(groupDn("dev-team"), [change("delete")]));
    try {
      await new Promise((r) => setTimeout(r, 1_500)); // refresh interval is 1.2 s here
      expect((await actorFromCookies(jar))!.grants).toEqual([]);
    } finally {
      await withLdapAdmin((c) => c.modify(groupDn("dev-team"), [change("add")]));
    }
  });

  it("SECURITY 8: empty, whitespace-only and NUL passwords are refused before any bind", async () => {
    // Against the instance that WOULD accept a DN with an empty password as anonymous.
    useStackLdap({ SWITCHYARD_LDAP_URL: peerEnv("ldap", "LDAP_ANON_URL") });
    try {
      const log = peerEnv("ldap", "LDAP_ANON_LOG");
      const before = fs.readFileSync(log, "utf8").length;
      for (const password of ["", "   ", "\t", "\u0000", "alice-pass-1\u0000"]) {
        expect(await signIn({ username: "alice", password, source: "ldap" }, client)).toBeNull();
      }
      const after = fs.readFileSync(log, "utf8").slice(before);
      expect(after).not.toMatch(/BIND dn="uid=alice/);
    } finally {
      useStackLdap({ SWITCHYARD_LDAP_REFRESH_MINUTES: "0.02" });
    }
  });

  it.each(["*", "a*", "alice)(uid=*", "x)(|(objectClass=*", "\\00", "a".repeat(300)])("SECURITY 9: username %j → refused", async (username) => {
    expect(await signIn({ username, password: ldapPassword("alice"), source: "ldap" }, client)).toBeNull();
  });

  it("SECURITY 10: a DN-shaped username never binds as another DN", async () => {
    expect(await signIn({ username: "alice,ou=admins", password: ldapPassword("alice"), source: "ldap" }, client)).toBeNull();
    expect(await signIn({ username: "uid=carol,ou=people,dc=switchyard,dc=test", password: ldapPassword("carol"), source: "ldap" }, client)).toBeNull();
  });

  it("SECURITY 11: LDAP unreachable → 503 naming LDAP, within 5 s", async () => {
    useStackLdap({ SWITCHYARD_LDAP_URL: "ldap://127.0.0.1:1" });
    try {
      const t0 = Date.now();
      const e = await signIn({ username: "carol", password: ldapPassword("carol"), source: "ldap" }, client).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503, details: { system: "ldap" } });
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      useStackLdap({ SWITCHYARD_LDAP_REFRESH_MINUTES: "0.02" });
    }
  });

  it("SECURITY 7: unknown user and wrong password answer alike; N+1 failures → 429 with Retry-After", async () => {
    const ip = { clientIp: "127.0.0.77", userAgent: "vitest" };
    expect(await signIn({ username: "no-such-user", password: "whatever-1", source: "ldap" }, ip)).toBeNull();
    expect(await signIn({ username: "carol", password: "wrong-password", source: "ldap" }, ip)).toBeNull();
    await signIn({ username: "carol", password: "wrong-password", source: "ldap" }, ip);
    await signIn({ username: "carol", password: "wrong-password", source: "ldap" }, ip);
    // Locked now — even the right password is refused until the lock lifts.
    const e = await signIn({ username: "carol", password: ldapPassword("carol"), source: "ldap" }, ip).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect((e as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("local break-glass accounts keep working beside LDAP", async () => {
    const id = randomUUID();
    await pg.handle.db.insert(users).values({ id, username: "breakglass", displayName: "Break glass", source: "local", passwordHash: await hashPassword("break-glass-pass-1") });
    expect(await signIn({ username: "breakglass", password: "break-glass-pass-1", source: "local" }, client)).toMatchObject({ userId: id, source: "local" });
    // An LDAP password does not open a local account of the same name, nor the other way round.
    expect(await signIn({ username: "breakglass", password: "break-glass-pass-1", source: "ldap" }, client)).toBeNull();
  });
});

describe("API tokens", () => {
  it("are shown once, attributed in audit, narrowed by scope, and refused after revocation", async () => {
    const alice = await actorAfterSignIn("alice", ldapPassword("alice"));
    const created = await createToken.execute(alice, { name: "ci", expiresInDays: 7, readOnly: true }, meta());
    expect(created.token).toMatch(/^sy_/);
    const viaToken = await actorFromToken(created.token);
    expect(viaToken).toMatchObject({ id: alice!.id, tokenId: created.id });
    expect(decide(viaToken!.grants, "service.read")).toBe(true);
    expect(decide(viaToken!.grants, "mesh.policy.write")).toBe(false); // read-only narrows
    expect(await actorFromToken(created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A"))).toBeNull();

    // A read-only token cannot change anything, not even the owner's preferences.
    await expect(updatePreferences.execute(viaToken, { locale: "zh-CN" }, meta())).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Uses are attributed to the token id.
    const writer = await createToken.execute(alice, { name: "writer", expiresInDays: 7 }, meta());
    const viaWriter = await actorFromToken(writer.token);
    const m = meta();
    await updatePreferences.execute(viaWriter, { locale: "zh-CN" }, m);
    const rows = await pg.handle.db.query.users.findFirst({ where: eq(users.id, alice!.id) });
    expect(rows?.locale).toBe("zh-CN");
    const audit = await pg.asAdmin((c) => c.query("SELECT token_id FROM audit_events WHERE request_id = $1", [m.requestId]));
    expect(audit.rows.length).toBe(2);
    expect(audit.rows.every((r: { token_id: string }) => r.token_id === writer.id)).toBe(true);

    await revokeToken.execute(alice, { id: created.id }, meta());
    expect(await actorFromToken(created.token)).toBeNull();
  });

  it("SECURITY 14: revoking someone else's token → 404, nothing written", async () => {
    const alice = await actorAfterSignIn("alice", ldapPassword("alice"));
    const erin = await actorAfterSignIn("erin", ldapPassword("erin"));
    const t = await createToken.execute(alice, { name: "mine", expiresInDays: 1 }, meta());
    await expect(revokeToken.execute(erin, { id: t.id }, meta())).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await actorFromToken(t.token)).not.toBeNull();
  });

  it("SECURITY 15: role fields cannot be mass-assigned through a profile update", async () => {
    const dave = await actorAfterSignIn("dave", ldapPassword("dave"));
    await expect(updatePreferences.execute(dave, { locale: "en", role: "admin" }, meta())).rejects.toMatchObject({ code: "VALIDATION" });
    const again = await actorAfterSignIn("dave", ldapPassword("dave"));
    expect(again!.grants).toEqual([]);
  });
});
