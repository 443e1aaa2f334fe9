import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { defineOperation } from "@/lib/ops/define-operation";

export const UpdatePreferencesInput = z
  .object({
    locale: z.enum(["en", "zh-CN"]).optional(),
    theme: z.enum(["light", "dark", "system"]).optional(),
  })
  .strict()
  .refine((v) => v.locale !== undefined || v.theme !== undefined, { message: "set locale or theme", path: ["locale"] });
export type UpdatePreferencesInput = z.infer<typeof UpdatePreferencesInput>;

/**
 * Stores the signed-in user's language and theme. Anyone signed in, for themselves only;
 * database-only, audited in the same transaction.
 */
export const updatePreferences = defineOperation({
  action: "profile.preferences.update",
  permission: "profile.write",
  input: UpdatePreferencesInput,
  transactional: true,
  target: (_input, ctx) => ({ kind: "user", name: ctx.actor.username }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [before] = await tx.select({ locale: users.locale, theme: users.theme }).from(users).where(eq(users.id, ctx.actor.id));
    const [after] = await tx
      .update(users)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(users.id, ctx.actor.id))
      .returning({ locale: users.locale, theme: users.theme });
    return { result: after!, before, after };
  },
});
