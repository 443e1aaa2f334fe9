/**
 * Local (break-glass) accounts. Unknown user and wrong password cost the same and answer
 * the same (SECURITY.md 7).
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import { timingDummyHash, verifyPassword } from "@/lib/auth/password";

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
  return user;
}
