/**
 * Local (break-glass) accounts. Unknown user and wrong password cost the same and answer
 * the same (docs/security.md §7).
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import { hashPassword, needsRehash, timingDummyHash, verifyPassword } from "@/lib/auth/password";
import { logger } from "@/lib/logger";

export async function verifyLocalLogin(db: Database, username: string, password: string): Promise<UserRow | null> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.source, "local"), eq(users.username, username)))
    .limit(1);
  const user = rows[0];
  const hash = user?.passwordHash ?? (await timingDummyHash());
  const ok = await verifyPassword(password, hash);
  if (!user || !user.passwordHash || !ok || user.disabled) return null;
  if (needsRehash(user.passwordHash)) {
    // Stored under older, weaker parameters: upgrade now that we hold the password.
    const passwordHash = await hashPassword(password);
    await db.update(users).set({ passwordHash }).where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
    logger.info("password rehashed with current scrypt parameters", { userId: user.id });
  }
  return user;
}
