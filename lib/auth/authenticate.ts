/**
 * Turns a request's session cookie into an Actor, or null. Every route handler and server
 * page calls this itself (SECURITY.md 1): middleware is never the boundary.
 */
import "server-only";
import { decode } from "next-auth/jwt";
import { getDb } from "@/db";
import type { Actor } from "@/lib/auth/actor";
import { sessionCookieName } from "@/lib/auth/cookies";
import { loadGrants } from "@/lib/auth/grants";
import { resolveSession } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { appSecret } from "@/lib/secret";

type CookieSource = { get(name: string): { value: string } | undefined };

export async function actorFromCookies(cookies: CookieSource): Promise<Actor | null> {
  const raw = cookies.get(sessionCookieName())?.value;
  if (!raw) return null;
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token: raw, secret: appSecret() })) as Record<string, unknown> | null;
  } catch (e) {
    logger.debug("session cookie rejected", { err: e });
    return null; // forged, tampered, wrong secret, alg=none: all simply "not signed in"
  }
  if (!payload || typeof payload.sid !== "string" || typeof payload.exp !== "number") {
    logger.debug("session cookie without sid or exp");
    return null;
  }
  if (payload.exp * 1000 <= Date.now()) return null;
  let db;
  try {
    db = await getDb();
  } catch (e) {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable while authenticating", { cause: e });
  }
  const user = await resolveSession(db, payload.sid);
  if (!user || user.id !== payload.sub) {
    logger.debug("session cookie names no live session", { found: Boolean(user) });
    return null;
  }
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    source: user.source,
    grants: await loadGrants(db, user.id),
    sessionId: payload.sid,
  };
}
