/**
 * Turns a request into an Actor, or null: a session cookie (server-side session) or an
 * `Authorization: Bearer` API token. Every route handler and server page calls this itself
 * (docs/security.md §1): middleware is never the boundary. It never falls back to the console's
 * own identity (docs/security.md §6).
 */
import "server-only";
import { eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { getDb } from "@/lib/database";
import type { Database } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { sessionCookieName } from "@/lib/auth/cookies";
import { loadGrants } from "@/lib/auth/grants";
import { lookupLdapUser, lookupLdapUserByEntryUuid } from "@/lib/auth/ldap";
import { ldapConfig, ldapMaxStaleMs, ldapRefreshMs } from "@/lib/auth/ldap-config";
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
  const suspended = rolesSuspended(user);
  const grants = suspended
    ? []
    : narrowGrants(await loadGrants(db, user.id, user.ldapGroups), {
        environmentSelector: row.token.environmentSelector,
        namespacePattern: row.token.namespacePattern,
        readOnly: row.token.readOnly === "yes",
      });
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    source: user.source,
    grants,
    tokenId: row.token.id,
    ...(suspended ? { rolesSuspended: suspended } : {}),
  };
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
  const suspended = rolesSuspended(user);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    source: user.source,
    grants: suspended ? [] : await loadGrants(db, user.id, user.ldapGroups),
    sessionId: payload.sid,
    ...(suspended ? { rolesSuspended: suspended } : {}),
  };
}

const RETRY_AFTER_LDAP_ERROR_MS = 30_000;

/**
 * Why an LDAP user's roles are suspended, or null: the directory has not confirmed their
 * groups for longer than SWITCHYARD_LDAP_MAX_STALE_MINUTES (docs/security.md §36).
 * Local accounts are never suspended: they are the break-glass way in while LDAP is down.
 */
export function rolesSuspended(user: UserRow, now = Date.now()): string | null {
  if (user.source !== "ldap") return null;
  const verified = user.groupsVerifiedAt?.getTime() ?? 0;
  if (now - verified <= ldapMaxStaleMs()) return null;
  return "Your roles are suspended: the directory (LDAP) has not confirmed your group memberships recently. They come back as soon as it answers again; break-glass local accounts still work.";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Recomputes an LDAP user's groups when the last look is older than the refresh interval
 * (docs/security.md §12 and "Stale roles"). The entry is found by its
 * entryUUID wherever it now lives (renames followed); rows keyed by DN (directories without
 * entryUUID, or not signed in since entryUUID keying) are re-read by DN. A user gone from the
 * directory loses every session. With LDAP unreachable the last known groups stand until
 * they are too old (rolesSuspended); the look is retried shortly.
 */
async function refreshLdapGroups(db: Database, user: UserRow): Promise<UserRow | null> {
  if (user.source !== "ldap" || !user.externalId) return user;
  const config = ldapConfig();
  if (!config) return null; // LDAP switched off: LDAP accounts cannot act
  const last = user.groupsRefreshedAt?.getTime() ?? 0;
  if (Date.now() - last < ldapRefreshMs()) return user;
  try {
    const found = UUID.test(user.externalId)
      ? await lookupLdapUserByEntryUuid(config, user.externalId)
      : await lookupLdapUser(config, user.ldapDn ?? user.externalId);
    if (!found || (UUID.test(user.externalId) && found.entryUUID?.toLowerCase() !== user.externalId.toLowerCase())) {
      await revokeUserSessions(db, user.id, "ldap_user_gone");
      return null;
    }
    const now = new Date();
    const [row] = await db
      .update(users)
      .set({ ldapGroups: found.groups, groupsRefreshedAt: now, groupsVerifiedAt: now, ldapDn: found.dn, displayName: found.displayName || user.displayName })
      .where(eq(users.id, user.id))
      .returning();
    return row ?? null;
  } catch (e) {
    logger.warn("LDAP refresh failed; keeping the last known groups until they are too old", { err: e, userId: user.id });
    const retryAt = new Date(Date.now() - ldapRefreshMs() + Math.min(RETRY_AFTER_LDAP_ERROR_MS, ldapRefreshMs()));
    await db.update(users).set({ groupsRefreshedAt: retryAt }).where(eq(users.id, user.id));
    return { ...user, groupsRefreshedAt: retryAt };
  }
}
