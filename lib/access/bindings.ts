/**
 * Role bindings: subject (user id or LDAP group DN) × role × scope. Admin-only changes
 * (access.admin), each an audited operation; reads for access.read.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { roleBindings, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { loadGrants } from "@/lib/auth/grants";
import { decide, effectivePermissions, isValidSelector, PERMISSIONS, ROLES, type Grant } from "@/lib/auth/rbac";
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
  .strict();
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

export interface BindingView {
  id: string;
  subjectKind: "user" | "group";
  subject: string;
  subjectName: string;
  role: string;
  environmentSelector: string;
  namespacePattern: string;
  createdAt: string;
  createdBy: string;
}

export async function listBindings(actor: Actor): Promise<BindingView[]> {
  if (!decide(actor.grants, "access.read")) throw new AppError("FORBIDDEN", `${actor.username} lacks access.read`);
  const db = await getDb();
  const rows = await db
    .select({ b: roleBindings, username: users.username })
    .from(roleBindings)
    .leftJoin(users, eq(users.id, roleBindings.subject))
    .orderBy(asc(roleBindings.createdAt));
  return rows.map(({ b, username }) => ({
    id: b.id,
    subjectKind: b.subjectKind,
    subject: b.subject,
    subjectName: b.subjectKind === "user" ? (username ?? b.subject) : b.subject,
    role: b.role,
    environmentSelector: b.environmentSelector,
    namespacePattern: b.namespacePattern,
    createdAt: b.createdAt.toISOString(),
    createdBy: b.createdBy,
  }));
}

/** "Who can do what": a user's effective permissions and the bindings that grant each. */
export async function effectiveAccess(actor: Actor, userId: string): Promise<{ user: { id: string; username: string; source: string; groups: string[] }; permissions: Array<{ permission: string; grantedBy: Grant[] }> }> {
  if (!decide(actor.grants, "access.read")) throw new AppError("FORBIDDEN", `${actor.username} lacks access.read`);
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw new AppError("NOT_FOUND", `user ${userId} not found`);
  const grants = await loadGrants(db, u.id, u.ldapGroups);
  const granted = new Set(effectivePermissions(grants));
  return {
    user: { id: u.id, username: u.username, source: u.source, groups: u.ldapGroups },
    permissions: PERMISSIONS.filter((p) => granted.has(p)).map((permission) => ({
      permission,
      grantedBy: grants.filter((g) => effectivePermissions([g]).includes(permission)),
    })),
  };
}
