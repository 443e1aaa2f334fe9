import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";
import { revokeUserSessions, revokeUserTokens } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "required").max(1024),
    newPassword: z.string().superRefine((v, c) => {
      const problem = passwordProblem(v);
      if (problem) c.addIssue({ code: "custom", message: problem });
    }),
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/**
 * Changes the signed-in local account's password and ends its other sessions. Local
 * accounts only (LDAP passwords live in LDAP); audited in the same transaction.
 */
export const changePassword = defineOperation({
  action: "profile.password.change",
  permission: "profile.write",
  input: ChangePasswordInput,
  transactional: true,
  target: (_input, ctx) => ({ kind: "user", name: ctx.actor.username }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [user] = await tx.select().from(users).where(eq(users.id, ctx.actor.id));
    if (!user || user.source !== "local" || !user.passwordHash) {
      throw new AppError("VALIDATION", "not a local account", {
        fields: [{ field: "currentPassword", message: "this account's password is managed in LDAP" }],
      });
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new AppError("VALIDATION", "current password wrong", {
        fields: [{ field: "currentPassword", message: "is not your current password" }],
      });
    }
    const now = new Date();
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.newPassword), passwordChangedAt: now, updatedAt: now })
      .where(eq(users.id, user.id));
    // Other sessions end, and every API token: it was minted under the old password.
    await revokeUserSessions(tx, user.id, "password_changed", ctx.actor.sessionId);
    const tokensRevoked = await revokeUserTokens(tx, user.id);
    return { result: { changedAt: now.toISOString(), tokensRevoked }, after: { passwordChangedAt: now.toISOString(), tokensRevoked } };
  },
});
