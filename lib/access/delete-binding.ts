import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { roleBindings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const DeleteBindingInput = z.object({ id: z.uuid("must be a binding id") }).strict();

/** Removes a role binding. Admins only; audited with what was removed. */
export const deleteBinding = defineOperation({
  action: "access.binding.delete",
  permission: "access.admin",
  input: DeleteBindingInput,
  transactional: true,
  target: (i) => ({ kind: "role_binding", name: i.id }),
  async run(input, ctx) {
    const [row] = await ctx.tx!.delete(roleBindings).where(eq(roleBindings.id, input.id)).returning();
    if (!row) throw new AppError("NOT_FOUND", `binding ${input.id} not found`);
    return { result: { id: row.id }, before: row };
  },
});
