/**
 * Personal API tokens (issue: sign-in): `sy_<id>_<secret>`, shown once, stored as SHA-256 of
 * the secret, expiring, optionally narrower than the owner's grants. Every use is attributed
 * to the token id in audit rows.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { getDb } from "@/db";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { decide, isValidSelector } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

const TOKEN_RE = /^sy_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
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

const selector = z
  .string()
  .trim()
  .max(256)
  .refine(isValidSelector, "must be * or key=value pairs separated by commas");

export const CreateTokenInput = z
  .object({
    name: z.string().trim().min(1, "required").max(100),
    expiresInDays: z.number().int().min(1).max(365),
    environmentSelector: selector.default("*"),
    namespacePattern: z
      .string()
      .trim()
      .regex(/^[a-z0-9*-]{1,63}$/, "must be * or a namespace glob like team-a-*")
      .default("*"),
    readOnly: z.boolean().default(false),
  })
  .strict();
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

/**
 * Creates a personal token for the signed-in user. Anyone signed in (for themselves);
 * returns the secret once. Audited in the same transaction; the secret is never audited.
 */
export const createToken = defineOperation({
  action: "access.token.create",
  permission: "profile.write",
  input: CreateTokenInput,
  transactional: true,
  target: (input, ctx) => ({ kind: "api_token", name: `${ctx.actor.username}/${input.name}` }),
  async run(input, ctx) {
    if (ctx.actor.tokenId) throw new AppError("FORBIDDEN", "tokens cannot mint tokens", { userMessage: "Create tokens from a signed-in session, not with a token." });
    const id = randomBytes(9).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    await ctx.tx!.insert(apiTokens).values({
      id,
      userId: ctx.actor.id,
      name: input.name,
      secretHash: hashSecret(secret),
      environmentSelector: input.environmentSelector,
      namespacePattern: input.namespacePattern,
      readOnly: input.readOnly ? "yes" : "no",
      expiresAt,
    });
    const view = { id, name: input.name, expiresAt: expiresAt.toISOString(), environmentSelector: input.environmentSelector, namespacePattern: input.namespacePattern, readOnly: input.readOnly };
    return { result: { ...view, token: `sy_${id}_${secret}` }, after: view };
  },
});

export const RevokeTokenInput = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{12}$/, "must be a token id") }).strict();

/** Revokes a token: its owner, or an admin (access.admin). Another user's token → 404. */
export const revokeToken = defineOperation({
  action: "access.token.revoke",
  permission: "profile.write",
  input: RevokeTokenInput,
  transactional: true,
  target: (input) => ({ kind: "api_token", name: input.id }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, input.id)).limit(1);
    const isAdmin = ctx.actor.grants.some((g) => g.role === "admin" && g.environmentSelector === "*" && g.namespacePattern === "*" && !g.readOnly);
    if (!row || (row.userId !== ctx.actor.id && !isAdmin)) throw new AppError("NOT_FOUND", `token ${input.id} not found for ${ctx.actor.username}`);
    if (row.revokedAt) return { result: { id: row.id, revokedAt: row.revokedAt.toISOString() } };
    const now = new Date();
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, row.id));
    return { result: { id: row.id, revokedAt: now.toISOString() }, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } };
  },
});

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
