import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { revokeUserSessions, revokeUserTokens } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const SetUserDisabledInput = z.object({ id: z.uuid("must be a user id"), disabled: z.boolean() }).strict();

/** Disables (ending every session and token use) or re-enables an account. Admins only. */
export const setUserDisabled = defineOperation({
  action: "access.user.disable",
  permission: "access.admin",
  input: SetUserDisabledInput,
  transactional: true,
  target: (i) => ({ kind: "user", name: i.id }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    if (input.id === ctx.actor.id && input.disabled) {
      throw new AppError("VALIDATION", "cannot disable yourself", { fields: [{ field: "id", message: "you cannot disable your own account" }] });
    }
    const [before] = await tx.select({ disabled: users.disabled, username: users.username }).from(users).where(eq(users.id, input.id));
    if (!before) throw new AppError("NOT_FOUND", `user ${input.id} not found`);
    await tx.update(users).set({ disabled: input.disabled, updatedAt: new Date() }).where(eq(users.id, input.id));
    // Disabling ends every credential: re-enabling later does not bring old tokens back.
    let tokensRevoked = 0;
    if (input.disabled) {
      await revokeUserSessions(tx, input.id, "disabled");
      tokensRevoked = await revokeUserTokens(tx, input.id);
    }
    return { result: { id: input.id, disabled: input.disabled, tokensRevoked }, before: { disabled: before.disabled }, after: { disabled: input.disabled, tokensRevoked } };
  },
});
