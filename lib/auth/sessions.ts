/**
 * Server-side sessions (docs/security.md §4, §5): a new id at every sign-in, idle and absolute
 * timeouts, revocation at sign-out. The cookie is only a signed pointer to a row here.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Database, DbLike } from "@/db/client";
import { apiTokens, sessions, users, type UserRow } from "@/db/schema";
import { serverEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export async function createSession(
  db: Database,
  userId: string,
  meta: { clientIp?: string | null; userAgent?: string | null },
): Promise<{ id: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(Date.now() + serverEnv().SWITCHYARD_SESSION_MAX_HOURS * 3600_000);
  await db.insert(sessions).values({
    id,
    userId,
    expiresAt,
    clientIp: meta.clientIp?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  });
  return { id, expiresAt };
}

const TOUCH_EVERY_MS = 60_000;

/** The user behind a live session, or null when it is unknown, revoked, idle or expired. */
export async function resolveSession(db: Database, sessionId: string): Promise<UserRow | null> {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const now = Date.now();
  const idleMs = serverEnv().SWITCHYARD_SESSION_IDLE_MINUTES * 60_000;
  if (row.session.expiresAt.getTime() <= now || row.session.lastSeenAt.getTime() + idleMs <= now) {
    logger.debug("session expired", { expiresAt: row.session.expiresAt, lastSeenAt: row.session.lastSeenAt, now: new Date(now) });
    await revokeSession(db, sessionId, row.session.expiresAt.getTime() <= now ? "expired" : "idle");
    return null;
  }
  if (row.user.disabled) return null;
  if (now - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, sessionId));
  }
  return row.user;
}

export async function revokeSession(db: DbLike, sessionId: string, reason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeUserSessions(db: DbLike, userId: string, reason: string, exceptSessionId?: string): Promise<void> {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  for (const r of rows) if (r.id !== exceptSessionId) await revokeSession(db, r.id, reason);
}

/**
 * Revokes every live API token of a user (password reset or change, account disabled, a
 * departed directory entry): a credential change ends every credential derived from the old
 * one. Returns how many were revoked.
 */
export async function revokeUserTokens(db: DbLike, userId: string): Promise<number> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}
