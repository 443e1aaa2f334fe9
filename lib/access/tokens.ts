/** Reading personal API tokens (never their secrets). Creating and revoking: create-token.ts, revoke-token.ts. */
import "server-only";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { apiTokens, users } from "@/db/schema";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { AppError } from "@/lib/errors";

export interface TokenView {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  environmentSelector: string;
  namespacePattern: string;
  readOnly: boolean;
  expired: boolean;
}

function toView(r: typeof apiTokens.$inferSelect): TokenView {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    environmentSelector: r.environmentSelector,
    namespacePattern: r.namespacePattern,
    readOnly: r.readOnly === "yes",
    expired: r.expiresAt.getTime() <= Date.now(),
  };
}

/** The signed-in user's tokens (never their secrets). */
export async function listTokens(actor: Actor): Promise<TokenView[]> {
  const rows = await (await getDb()).select().from(apiTokens).where(eq(apiTokens.userId, actor.id)).orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}

/** Any user's tokens, for Settings → Access (access.read; never their secrets). */
export async function listUserTokens(actor: Actor, userId: string): Promise<TokenView[]> {
  if (!decide(actor.grants, "access.read")) throw forbidden(actor, "access.read");
  if (!z.uuid().safeParse(userId).success) throw new AppError("NOT_FOUND", `user ${userId} not found`);
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new AppError("NOT_FOUND", `user ${userId} not found`);
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}
