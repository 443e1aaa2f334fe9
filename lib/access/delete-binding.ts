import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { roleBindings, type RoleBindingRow } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const DeleteBindingInput = z.object({ id: z.uuid("must be a binding id") }).strict();

/**
 * How the audit names a binding: subject, role and scope as create-binding names them, then the
 * id (two bindings may differ only in id).
 */
export function bindingAuditName(b: Pick<RoleBindingRow, "id" | "subjectKind" | "subject" | "role" | "environmentSelector" | "namespacePattern">): string {
  return `${b.subjectKind}:${b.subject}→${b.role} (env ${b.environmentSelector}, ns ${b.namespacePattern}; id ${b.id})`;
}

/** Removes a role binding. Admins only; audited with what was removed, named readably. */
export const deleteBinding = defineOperation({
  action: "access.binding.delete",
  permission: "access.admin",
  input: DeleteBindingInput,
  transactional: true,
  async target(i, ctx) {
    // A binding already gone keeps the id as its name; run() answers 404.
    const [row] = await ctx.db.select().from(roleBindings).where(eq(roleBindings.id, i.id)).limit(1);
    return { kind: "role_binding", name: row ? bindingAuditName(row) : i.id };
  },
  async run(input, ctx) {
    const [row] = await ctx.tx!.delete(roleBindings).where(eq(roleBindings.id, input.id)).returning();
    if (!row) throw new AppError("NOT_FOUND", `binding ${input.id} not found`);
    return { result: { id: row.id }, before: row };
  },
});
