import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { looksLikeDn } from "@/lib/access/keys";
import { roleBindings, users } from "@/db/schema";
import { isValidSelector, ROLES } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

const Selector = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .refine(isValidSelector, "must be * or key=value pairs separated by commas, e.g. tier=prod,site=hz");

export const CreateBindingInput = z
  .object({
    subjectKind: z.enum(["user", "group"]),
    /** A user id, or the DN of an LDAP group. */
    subject: z.string().trim().min(1, "required").max(512),
    role: z.enum(ROLES),
    environmentSelector: Selector.default("*"),
    namespacePattern: z
      .string()
      .trim()
      .regex(/^(\*|[a-z0-9*-]{1,63})$/, "must be * or a namespace glob like team-a-*")
      .default("*"),
  })
  .strict()
  // A group binding matches the DNs LDAP reports; anything else would never match (issue #11).
  .refine((b) => b.subjectKind !== "group" || looksLikeDn(b.subject), { path: ["subject"], message: "a group is bound by its DN, e.g. cn=platform-ops,ou=groups,dc=example,dc=com" });
export type CreateBindingInput = z.infer<typeof CreateBindingInput>;

/** Grants a role to a user or LDAP group within a scope. Admins only; audited. */
export const createBinding = defineOperation({
  action: "access.binding.create",
  permission: "access.admin",
  input: CreateBindingInput,
  transactional: true,
  target: (i) => ({ kind: "role_binding", name: `${i.subjectKind}:${i.subject}→${i.role}` }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const subject = input.subjectKind === "group" ? input.subject.toLowerCase() : input.subject;
    if (input.subjectKind === "user") {
      const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, subject)).limit(1);
      if (!u) throw new AppError("VALIDATION", "unknown user", { fields: [{ field: "subject", message: "no such user" }] });
    }
    const row = { id: randomUUID(), ...input, subject, createdBy: ctx.actor.username };
    await tx.insert(roleBindings).values(row);
    return { result: row, after: row };
  },
});
