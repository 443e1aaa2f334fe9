/**
 * Turns a request into an Actor, or null: a session cookie (server-side session) or an
 * `Authorization: Bearer` API token. Every route handler and server page calls this itself
 * (SECURITY.md 1): middleware is never the boundary. It never falls back to the console's
 * own identity (SECURITY.md 6).
 */
import "server-only";
import { eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { getDb } from "@/db";
import type { Database } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { sessionCookieName } from "@/lib/auth/cookies";
import { loadGrants } from "@/lib/auth/grants";
import { lookupLdapUser } from "@/lib/auth/ldap";
import { ldapConfig, ldapRefreshMs } from "@/lib/auth/ldap-config";
import { narrowGrants } from "@/lib/auth/rbac";
import { resolveSession, revokeUserSessions } from "@/lib/auth/sessions";
import { verifyToken } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { appSecret } from "@/lib/secret";

type CookieSource = { get(name: string): { value: string } | undefined };
type HeaderSource = { get(name: string): string | null };

async function database(): Promise<Database> {
  try {
    return await getDb();
  } catch (e) {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable while authenticating", { cause: e, details: { system: "database" } });
  }
}

/** Cookie or bearer token; a present but invalid bearer token is never replaced by the cookie. */
export async function actorFromRequest(headers: HeaderSource, cookies: CookieSource): Promise<Actor | null> {
  const auth = headers.get("authorization");
  if (auth !== null) {
    const m = /^Bearer ([^\s]+)$/.exec(auth.trim());
    return m ? actorFromToken(m[1]!) : null;
  }
  return actorFromCookies(cookies);
}

export async function actorFromToken(token: string): Promise<Actor | null> {
  const db = await database();
  const row = await verifyToken(db, token);
  if (!row) return null;
  const user = await refreshLdapGroups(db, row.user);
  if (!user) return null;
  const grants = narrowGrants(await loadGrants(db, user.id, user.ldapGroups), {
    environmentSelector: row.token.environmentSelector,
    namespacePattern: row.token.namespacePattern,
    readOnly: row.token.readOnly === "yes",
  });
  return { id: user.id, username: user.username, displayName: user.displayName, source: user.source, grants, tokenId: row.token.id };
}

export async function actorFromCookies(cookies: CookieSource): Promise<Actor | null> {
  const raw = cookies.get(sessionCookieName())?.value;
  if (!raw) return null;
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token: raw, secret: appSecret() })) as Record<string, unknown> | null;
  } catch {
    return null; // forged, tampered, wrong secret, alg=none: all simply "not signed in"
  }
  if (!payload || typeof payload.sid !== "string" || typeof payload.exp !== "number") return null;
  if (payload.exp * 1000 <= Date.now()) return null;
  const db = await database();
  const sessionUser = await resolveSession(db, payload.sid);
  if (!sessionUser || sessionUser.id !== payload.sub) return null;
  const user = await refreshLdapGroups(db, sessionUser);
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    source: user.source,
    grants: await loadGrants(db, user.id, user.ldapGroups),
    sessionId: payload.sid,
  };
}

const RETRY_AFTER_LDAP_ERROR_MS = 30_000;

/**
 * Recomputes an LDAP user's groups when the last look is older than the refresh interval
 * (SECURITY.md 12). A user gone from the directory loses every session. With LDAP briefly
 * unreachable the last known groups stand and the look is retried shortly.
 */
async function refreshLdapGroups(db: Database, user: UserRow): Promise<UserRow | null> {
  if (user.source !== "ldap" || !user.externalId) return user;
  const config = ldapConfig();
  if (!config) return null; // LDAP switched off: LDAP accounts cannot act
  const last = user.groupsRefreshedAt?.getTime() ?? 0;
  if (Date.now() - last < ldapRefreshMs()) return user;
  try {
    const found = await lookupLdapUser(config, user.externalId);
    if (!found) {
      await revokeUserSessions(db, user.id, "ldap_user_gone");
      return null;
    }
    const [row] = await db
      .update(users)
      .set({ ldapGroups: found.groups, groupsRefreshedAt: new Date(), displayName: found.displayName || user.displayName })
      .where(eq(users.id, user.id))
      .returning();
    return row ?? null;
  } catch (e) {
    logger.warn("LDAP refresh failed; keeping the last known groups for now", { err: e, userId: user.id });
    await db
      .update(users)
      .set({ groupsRefreshedAt: new Date(Date.now() - ldapRefreshMs() + RETRY_AFTER_LDAP_ERROR_MS) })
      .where(eq(users.id, user.id));
    return user;
  }
}
