/**
 * Role bindings: subject (user id or LDAP group DN) × role × scope. Admin-only changes
 * (access.admin) are audited operations (create-binding.ts, delete-binding.ts); reads here
 * need access.read.
 */
import "server-only";
import { asc, eq } from "drizzle-orm";
import { roleBindings, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { loadGrants } from "@/lib/auth/grants";
import { decide, effectivePermissions, PERMISSIONS, type Grant } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { AppError } from "@/lib/errors";

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
