import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { Password } from "@/lib/access/password-input";
import { hashPassword } from "@/lib/auth/password";
import { revokeUserSessions, revokeUserTokens } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const ResetPasswordInput = z.object({ id: z.uuid("must be a user id"), password: Password }).strict();

/** Sets a new password on a local account and ends its sessions and API tokens. Admins only. */
export const resetLocalPassword = defineOperation({
  action: "access.user.password.reset",
  permission: "access.admin",
  input: ResetPasswordInput,
  transactional: true,
  target: (i) => ({ kind: "user", name: i.id }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [u] = await tx.select().from(users).where(eq(users.id, input.id));
    if (!u) throw new AppError("NOT_FOUND", `user ${input.id} not found`);
    if (u.source !== "local") throw new AppError("VALIDATION", "ldap account", { fields: [{ field: "id", message: "LDAP passwords are managed in the directory" }] });
    const now = new Date();
    await tx.update(users).set({ passwordHash: await hashPassword(input.password), passwordChangedAt: now, updatedAt: now }).where(eq(users.id, u.id));
    await revokeUserSessions(tx, u.id, "password_reset");
    const tokensRevoked = await revokeUserTokens(tx, u.id);
    return { result: { id: u.id, passwordChangedAt: now.toISOString(), tokensRevoked }, after: { passwordChangedAt: now.toISOString(), tokensRevoked } };
  },
});
