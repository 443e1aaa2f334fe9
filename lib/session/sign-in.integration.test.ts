/**
 * Sign-in against the stack's real OpenLDAP and PostgreSQL, one test per docs/security.md
 * it covers (7–12, 14, 15). Groups map to roles through role bindings; deny by default.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { Attribute, Change, Client as LdapClient } from "ldapts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { roleBindings, users } from "@/db/schema";
import { auditRoles } from "@/lib/auth/actor";
import { actorFromCookies, actorFromToken } from "@/lib/auth/authenticate";
import { sessionCookieName } from "@/lib/auth/cookies";
import { decide } from "@/lib/auth/rbac";
import { sessionCookieHeader } from "@/lib/auth/session-cookie";
import { signIn } from "@/lib/session/sign-in";
import { createToken } from "@/lib/access/create-token";
import { revokeToken } from "@/lib/access/revoke-token";
import { hashPassword } from "@/lib/auth/password";
import { updatePreferences } from "@/lib/profile/update-preferences";
import { meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { groupDn, ldapPassword, useStackLdap, userDn } from "@/lib/testing/ldap-env";
import { peerEnv } from "@/lib/testing/peers";
import { startFaultProxy } from "@/lib/testing/fault-proxy";
import { snapshotChanges, snapshotDatabase } from "@/lib/testing/db-snapshot";
import { anonSlapd, bindDns, slapdLog } from "@/lib/testing/slapd-log";
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
    // Keyed by the entry's entryUUID, never by DN or mail; the DN is where it was last seen.
    expect(row!.externalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(row!.ldapDn).toBe(userDn("alice"));
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
    // The console's clock (Date) is driven by the test: "within the interval" is checked at
    // the interval itself (1.2 s here), not after a sleep; sockets and timers stay real.
    const REFRESH_MS = 0.02 * 60_000;
    const change = (operation: "add" | "delete") => new Change({ operation, modification: new Attribute({ type: "member", values: [userDn("bob")] }) });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const t0 = Date.now();
      const s = await signIn({ username: "bob", password: ldapPassword("bob"), source: "ldap" }, client);
      const jar = await cookieJarFor(s!.userId, s!.sessionId);
      expect((await actorFromCookies(jar))!.grants.map((g) => g.role)).toEqual(["developer"]);
      await withLdapAdmin((c) => c.modify(groupDn("dev-team"), [change("delete")]));
      vi.setSystemTime(t0 + REFRESH_MS);
      expect((await actorFromCookies(jar))!.grants).toEqual([]);
    } finally {
      vi.useRealTimers();
      await withLdapAdmin((c) => c.modify(groupDn("dev-team"), [change("add")]));
    }
  });

  it("SECURITY 8: empty, whitespace-only and NUL passwords are refused before any bind", async () => {
    // Against the instance that WOULD accept a DN with an empty password as anonymous.
    useStackLdap({ SWITCHYARD_LDAP_URL: peerEnv("ldap", "LDAP_ANON_URL") });
    // What reached slapd, read between two marker searches — complete, not "after a while"
    // (lib/testing/slapd-log.ts; docs/security.md §8).
    const log = slapdLog(anonSlapd());
    try {
      await log.mark();
      for (const password of ["", "   ", "\t", "\u0000", "alice-pass-1\u0000"]) {
        expect(await signIn({ username: "alice", password, source: "ldap" }, client)).toBeNull();
      }
      const refused = await log.since();
      expect(refused).not.toMatch(/BIND dn="uid=alice/);
      // Refused before any connection: not even the service account bound.
      expect(bindDns(refused)).toEqual([]);

      // Control: the same window does show alice's BIND when her real password is used.
      await log.mark();
      expect(await signIn({ username: "alice", password: ldapPassword("alice"), source: "ldap" }, client)).not.toBeNull();
      expect(bindDns(await log.since())).toContain(userDn("alice"));
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

  it("SECURITY 11: LDAP unreachable → 503 naming LDAP, from the refusal itself (no timeout waited out)", async () => {
    useStackLdap({ SWITCHYARD_LDAP_URL: "ldap://127.0.0.1:1" });
    try {
      const e = await signIn({ username: "carol", password: ldapPassword("carol"), source: "ldap" }, client).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503, details: { system: "ldap" } });
      // The refused connection is the error (docs/security.md §11), not a timer that ran out.
      expect((e as Error).message).toBe("LDAP StartTLS with ldap://127.0.0.1:1 failed: connect ECONNREFUSED 127.0.0.1:1");
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
    const before = await snapshotDatabase(pg);
    const m = meta();
    const e = await revokeToken.execute(erin, { id: t.id }, m).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: "NOT_FOUND", status: 404 });
    const after = await snapshotDatabase(pg);
    // Every table is exactly as it was — the token, its owner, every session, binding and
    // throttle row (docs/security.md §14) — except that the attempt itself is on record: its
    // intent and a `failed` outcome naming NOT_FOUND, both erin's, and the chain head that
    // now points at the second one (docs/security.md §20).
    const changes = snapshotChanges(before, after);
    expect(Object.keys(changes)).toEqual(["audit_chain_head", "audit_events"]);
    const common = {
      id: expect.any(Number),
      created_at: expect.any(String),
      request_id: m.requestId,
      action: "access.token.revoke",
      actor_id: erin!.id,
      actor_name: "erin",
      actor_source: "ldap",
      actor_roles: auditRoles(erin!),
      token_id: null,
      environment: null,
      namespace: null,
      target_kind: "api_token",
      target_name: t.id,
      version_before: null,
      version_after: null,
      before: null,
      after: null,
      client_ip: m.clientIp,
      user_agent: m.userAgent,
      prev_hash: expect.any(String),
      hash: expect.any(String),
    };
    const added = [...changes.audit_events!.added].sort((a, b) => Number(a.id) - Number(b.id));
    expect(changes.audit_events!.removed).toEqual([]);
    expect(added).toEqual([
      { ...common, phase: "intent", outcome: null, detail: { input: { id: t.id } } },
      { ...common, phase: "outcome", outcome: "failed", detail: { code: "NOT_FOUND", message: "Not found." } },
    ]);
    // Appended to the chain: linked to the old head and to each other, and the head moved on.
    const [oldHead] = before.audit_chain_head!;
    expect([added[0]!.prev_hash, added[1]!.prev_hash]).toEqual([oldHead!.last_hash, added[0]!.hash]);
    expect(changes.audit_chain_head).toEqual({ removed: [oldHead], added: [{ singleton: "head", last_id: added[1]!.id, last_hash: added[1]!.hash }] });
    // And the token still works for its owner.
    expect(await actorFromToken(t.token)).toMatchObject({ id: alice!.id, tokenId: t.id });
  });

  it("SECURITY 15: role fields cannot be mass-assigned through a profile update", async () => {
    const dave = await actorAfterSignIn("dave", ldapPassword("dave"));
    await expect(updatePreferences.execute(dave, { locale: "en", role: "admin" }, meta())).rejects.toMatchObject({ code: "VALIDATION" });
    const again = await actorAfterSignIn("dave", ldapPassword("dave"));
    expect(again!.grants).toEqual([]);
  });
});

// Issue #8.5: LDAP users were keyed by DN. A re-created DN inherited the departed user's id,
// bindings and tokens; a renamed DN failed sign-in with a 500.
describe("directory identity (#8.5)", () => {
  const suffix = randomUUID().slice(0, 8);
  const uid = `ren-${suffix}`;
  const password = `ren-password-${suffix}`;
  const base = () => peerEnv("ldap", "LDAP_USER_BASE");
  const dn = () => `uid=${uid},${base()}`;
  const ou = () => `ou=moved-${suffix},${base()}`;
  const movedDn = () => `uid=${uid},${ou()}`;
  const entry = (sn: string) => ({ objectClass: ["inetOrgPerson"], uid, cn: `Ren ${sn}`, sn, userPassword: password });

  beforeAll(async () => {
    useStackLdap({ SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER: "3", SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP: "1000", SWITCHYARD_LDAP_REFRESH_MINUTES: "0.02" });
    await withLdapAdmin(async (c) => {
      await c.add(ou(), { objectClass: ["organizationalUnit"], ou: `moved-${suffix}` });
      await c.add(dn(), entry("First"));
    });
  });
  afterAll(async () => {
    await withLdapAdmin(async (c) => {
      for (const d of [dn(), movedDn(), ou()]) await c.del(d).catch(() => undefined);
    });
  });

  it("a renamed entry is the same user; a re-created DN is a new user with no bindings or tokens", async () => {
    const first = await signIn({ username: uid, password, source: "ldap" }, client);
    expect(first).not.toBeNull();
    const [row] = await pg.handle.db.select().from(users).where(eq(users.id, first!.userId));
    expect(row!.externalId).toMatch(/^[0-9a-f-]{36}$/);
    await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: first!.userId, role: "operator", environmentSelector: "*", namespacePattern: "*", createdBy: "test" });
    const actor = await actorFromCookies(await cookieJarFor(first!.userId, first!.sessionId));
    const token = await createToken.execute(actor, { name: "ren", expiresInDays: 1 }, meta());

    // Renamed (moved to another OU, same entry): the same user, still the operator.
    await withLdapAdmin((c) => c.modifyDN(dn(), movedDn()));
    const renamed = await signIn({ username: uid, password, source: "ldap" }, client);
    expect(renamed?.userId).toBe(first!.userId);
    const [afterRename] = await pg.handle.db.select().from(users).where(eq(users.id, first!.userId));
    expect(afterRename!.ldapDn).toBe(movedDn());
    expect(afterRename!.externalId).toBe(row!.externalId);
    expect((await actorFromToken(token.token))?.id).toBe(first!.userId);

    // The person leaves; someone new gets the old DN and login name: a new entryUUID.
    await withLdapAdmin(async (c) => {
      await c.del(movedDn());
      await c.add(dn(), entry("Second"));
    });
    const newcomer = await signIn({ username: uid, password, source: "ldap" }, client);
    expect(newcomer).not.toBeNull();
    expect(newcomer!.userId).not.toBe(first!.userId);
    const newActor = await actorFromCookies(await cookieJarFor(newcomer!.userId, newcomer!.sessionId));
    expect(newActor!.grants).toEqual([]); // the departed user's binding is not inherited
    expect(await actorFromToken(token.token)).toBeNull(); // nor their token
    const [departed] = await pg.handle.db.select().from(users).where(eq(users.id, first!.userId));
    expect(departed!.disabled).toBe(true);
  });
});

// Issue #8.6: while LDAP was unreachable, a user removed from a group kept their last roles
// indefinitely. Past SWITCHYARD_LDAP_MAX_STALE_MINUTES without a confirmation, roles lapse.
describe("stale roles (#8.6)", () => {
  // The console's clock (Date) is driven by the test, so "not too long yet" and "too long"
  // are exact instants, not sleeps that a slow machine can overrun; sockets and timers stay real.
  it("LDAP users lose their roles (403 naming why) once the directory has been unreachable too long; local accounts keep theirs; roles return when it answers", async () => {
    const target = new URL(peerEnv("ldap", "LDAP_URL"));
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
    const REFRESH_MS = 600;
    const MAX_STALE_MS = 3_000;
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      useStackLdap({ SWITCHYARD_LDAP_URL: `ldap://${target.hostname}:${proxy.port}`, SWITCHYARD_LDAP_REFRESH_MINUTES: String(REFRESH_MS / 60_000), SWITCHYARD_LDAP_MAX_STALE_MINUTES: String(MAX_STALE_MS / 60_000) });
      const localId = randomUUID();
      const localName = `glass-${localId.slice(0, 6)}`;
      await pg.handle.db.insert(users).values({ id: localId, username: localName, displayName: "Glass", source: "local", passwordHash: await hashPassword("break-glass-pass-2") });
      await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: localId, role: "admin", environmentSelector: "*", namespacePattern: "*", createdBy: "test" });

      const t0 = Date.now();
      const s = await signIn({ username: "alice", password: ldapPassword("alice"), source: "ldap" }, client);
      const jar = await cookieJarFor(s!.userId, s!.sessionId);
      expect((await actorFromCookies(jar))!.grants.map((g) => g.role)).toEqual(["operator"]);
      const local = await signIn({ username: localName, password: "break-glass-pass-2", source: "local" }, client);
      const localJar = await cookieJarFor(local!.userId, local!.sessionId);
      const aliceRow = async () => (await pg.handle.db.select().from(users).where(eq(users.id, s!.userId)))[0]!;
      expect((await aliceRow()).groupsVerifiedAt?.getTime()).toBe(t0);

      proxy.mode = "refuse";
      // A refresh is due and fails: the directory was asked (the retry is scheduled from now),
      // and the last confirmed roles stand.
      vi.setSystemTime(t0 + REFRESH_MS);
      expect((await actorFromCookies(jar))!.grants.map((g) => g.role)).toEqual(["operator"]);
      expect(await aliceRow()).toMatchObject({ groupsRefreshedAt: new Date(t0 + REFRESH_MS), groupsVerifiedAt: new Date(t0) });
      // Exactly SWITCHYARD_LDAP_MAX_STALE_MINUTES without a confirmation: still standing.
      vi.setSystemTime(t0 + MAX_STALE_MS);
      const last = await actorFromCookies(jar);
      expect(last!.grants.map((g) => g.role)).toEqual(["operator"]);
      expect(last!.rolesSuspended).toBeUndefined();
      // One millisecond longer: suspended (docs/security.md §36).
      vi.setSystemTime(t0 + MAX_STALE_MS + 1);
      const stale = await actorFromCookies(jar);
      expect(stale!.grants).toEqual([]);
      expect(stale!.rolesSuspended).toMatch(/directory/);
      const refused = await updatePreferences.execute(stale, { locale: "en" }, meta()).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: "FORBIDDEN", status: 403, details: { rolesSuspended: true } });
      expect((refused as { userMessage: string }).userMessage).toMatch(/suspended/);
      // The break-glass account is untouched.
      expect((await actorFromCookies(localJar))!.grants.map((g) => g.role)).toEqual(["admin"]);

      // The directory answers again: at the next refresh the roles are back.
      proxy.mode = "pass";
      vi.setSystemTime(t0 + MAX_STALE_MS + REFRESH_MS);
      const back = await actorFromCookies(jar);
      expect(back!.rolesSuspended).toBeUndefined();
      expect(back!.grants.map((g) => g.role)).toEqual(["operator"]);
      expect((await aliceRow()).groupsVerifiedAt?.getTime()).toBe(t0 + MAX_STALE_MS + REFRESH_MS);
    } finally {
      vi.useRealTimers();
      await proxy.close();
      useStackLdap({ SWITCHYARD_LDAP_REFRESH_MINUTES: "0.02" });
    }
  });
});
