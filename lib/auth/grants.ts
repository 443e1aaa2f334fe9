/** Loads a user's grants: bindings on the user id plus bindings on any of their groups. */
import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import type { DbLike } from "@/db/client";
import { roleBindings } from "@/db/schema";
import type { Grant } from "@/lib/auth/rbac";

export async function loadGrants(db: DbLike, userId: string, groups: readonly string[] = []): Promise<Grant[]> {
  // Group subjects are stored as DNs; compare case-insensitively as LDAP does.
  groups = groups.map((g) => g.toLowerCase());
  const userClause = and(eq(roleBindings.subjectKind, "user"), eq(roleBindings.subject, userId));
  const where =
    groups.length > 0 ? or(userClause, and(eq(roleBindings.subjectKind, "group"), inArray(roleBindings.subject, [...groups]))) : userClause;
  const rows = await db.select().from(roleBindings).where(where);
  return rows.map((r) => ({
    role: r.role,
    environmentSelector: r.environmentSelector,
    namespacePattern: r.namespacePattern,
    via: r.subjectKind === "user" ? "user" : `group:${r.subject}`,
    bindingId: r.id,
  }));
}
