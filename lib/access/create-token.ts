import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import { isValidSelector } from "@/lib/auth/rbac";
import { hashSecret } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

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

