/**
 * Personal API tokens (issue: sign-in): `sy_<id>_<secret>`, shown once, stored as SHA-256 of
 * the secret, expiring, optionally narrower than the owner's grants. Every use is attributed
 * to the token id in audit rows. The primitives: parse, hash, verify. Creating, revoking
 * and listing tokens live in lib/access (create-token.ts, revoke-token.ts, tokens.ts).
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens, users } from "@/db/schema";

const TOKEN_RE = /^sy_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

/** The token's row and owner when the token is live; null for anything else. */
export async function verifyToken(db: Database, token: string) {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.id, parsed.id), isNull(apiTokens.revokedAt)))
    .limit(1);
  const expected = Buffer.from(row?.token.secretHash ?? "0".repeat(64), "hex");
  const actual = Buffer.from(hashSecret(parsed.secret), "hex");
  const match = timingSafeEqual(expected, actual);
  if (!row || !match || row.token.expiresAt.getTime() <= Date.now() || row.user.disabled) return null;
  if (!row.token.lastUsedAt || Date.now() - row.token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, parsed.id));
  }
  return row;
}
