/**
 * Sessions against embedded PGlite (docs/security.md §3, §4): forged, expired, revoked and
 * re-keyed cookies are all simply "not signed in".
 */
import { randomBytes, randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { setProcessDatabase } from "@/lib/database";
import { roleBindings, sessions, users } from "@/db/schema";
import { actorFromCookies } from "@/lib/auth/authenticate";
import { sessionCookieName } from "@/lib/auth/cookies";
import { createSession, revokeSession } from "@/lib/auth/sessions";
import { resetServerEnvCache } from "@/lib/env";
import { resetAppSecretCache } from "@/lib/secret";
import { freshPglite } from "@/lib/testing/db";
import { eq } from "drizzle-orm";

let handle: DatabaseHandle;
const userId = randomUUID();

function setSecret(): string {
  const s = randomBytes(48).toString("base64url");
  process.env.SWITCHYARD_SECRET = s;
  resetServerEnvCache();
  resetAppSecretCache();
  return s;
}

const jar = (value: string | undefined) => ({ get: (name: string) => (name === sessionCookieName() && value ? { value } : undefined) });

async function cookieFor(sid: string, secret: string, maxAge = 3600): Promise<string> {
  return encode({ token: { sub: userId, sid }, secret, maxAge });
}

beforeAll(async () => {
  handle = await freshPglite();
  setProcessDatabase(handle);
  await handle.db.insert(users).values({ id: userId, username: "alice", displayName: "Alice", source: "local" });
  await handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: userId, role: "operator", createdBy: "test" });
});
afterAll(async () => handle.close());

let secret: string;
beforeEach(() => {
  secret = setSecret();
});

describe("actorFromCookies", () => {
  it("a live session yields the actor with its grants", async () => {
    const s = await createSession(handle.db, userId, {});
    const actor = await actorFromCookies(jar(await cookieFor(s.id, secret)));
    expect(actor).toMatchObject({ id: userId, username: "alice", sessionId: s.id, grants: [{ role: "operator" }] });
  });

  it("no cookie, garbage, alg=none → null", async () => {
    expect(await actorFromCookies(jar(undefined))).toBeNull();
    expect(await actorFromCookies(jar("not-a-token"))).toBeNull();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: userId, sid: "x", exp: 9_999_999_999 })}.`;
    expect(await actorFromCookies(jar(none))).toBeNull();
  });

  it("an expired token → null", async () => {
    const s = await createSession(handle.db, userId, {});
    expect(await actorFromCookies(jar(await cookieFor(s.id, secret, -10)))).toBeNull();
  });

  it("a signed-out (revoked) session → null, though the cookie is still well-formed", async () => {
    const s = await createSession(handle.db, userId, {});
    const cookie = await cookieFor(s.id, secret);
    await revokeSession(handle.db, s.id, "sign_out");
    expect(await actorFromCookies(jar(cookie))).toBeNull();
  });

  it("an idle session → null and revoked", async () => {
    const s = await createSession(handle.db, userId, {});
    await handle.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 2 * 3600_000) }).where(eq(sessions.id, s.id));
    expect(await actorFromCookies(jar(await cookieFor(s.id, secret)))).toBeNull();
    const [row] = await handle.db.select().from(sessions).where(eq(sessions.id, s.id));
    expect(row?.revokedReason).toBe("idle");
  });

  it("rotating the secret ends every session", async () => {
    const s = await createSession(handle.db, userId, {});
    const cookie = await cookieFor(s.id, secret);
    expect(await actorFromCookies(jar(cookie))).not.toBeNull();
    setSecret();
    expect(await actorFromCookies(jar(cookie))).toBeNull();
  });

  it("a disabled user → null", async () => {
    const s = await createSession(handle.db, userId, {});
    const cookie = await cookieFor(s.id, secret);
    await handle.db.update(users).set({ disabled: true }).where(eq(users.id, userId));
    try {
      expect(await actorFromCookies(jar(cookie))).toBeNull();
    } finally {
      await handle.db.update(users).set({ disabled: false }).where(eq(users.id, userId));
    }
  });
});
