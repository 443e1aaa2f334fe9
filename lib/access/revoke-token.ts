import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

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

