/**
 * What a signed-in user with no role is told (issue #11): why — their LDAP groups, none of which
 * (nor their account) is bound to a role — and whom to ask: the admins, by name, as the bindings
 * name them (accounts bound admin directly, and the common names of admin groups). Only names
 * are disclosed, never scopes or other bindings; a user with no role can see nothing else.
 */
import "server-only";
import { eq, inArray } from "drizzle-orm";
import { roleBindings, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/database";

export interface NoAccessView {
  source: Actor["source"];
  /** The user's LDAP group DNs (none for local accounts). */
  groups: string[];
  /** Admins to ask: display names of admin accounts, then "cn" of admin groups. */
  admins: string[];
  /** Set when LDAP roles are suspended (the directory has not confirmed them lately). */
  suspended?: string;
}

/** The first RDN's value of a DN ("cn=platform-admins,ou=groups,…" → "platform-admins"). */
export function commonName(dn: string): string {
  const first = dn.split(/(?<!\\),/)[0] ?? dn;
  const eq = first.indexOf("=");
  return eq > 0 ? first.slice(eq + 1).trim() : dn;
}

export async function noAccessView(actor: Actor): Promise<NoAccessView> {
  const db = await getDb();
  const [me] = await db.select({ ldapGroups: users.ldapGroups }).from(users).where(eq(users.id, actor.id)).limit(1);
  const bindings = await db.select({ kind: roleBindings.subjectKind, subject: roleBindings.subject }).from(roleBindings).where(eq(roleBindings.role, "admin"));
  const adminIds = bindings.filter((b) => b.kind === "user").map((b) => b.subject);
  const people = adminIds.length ? await db.select({ displayName: users.displayName, username: users.username, disabled: users.disabled }).from(users).where(inArray(users.id, adminIds)) : [];
  const named = people.filter((p) => !p.disabled).map((p) => (p.displayName && p.displayName !== p.username ? `${p.displayName} (${p.username})` : p.username));
  const groups = bindings.filter((b) => b.kind === "group").map((b) => commonName(b.subject));
  return {
    source: actor.source,
    groups: [...(me?.ldapGroups ?? [])].sort(),
    admins: [...new Set([...named.sort(), ...groups.sort()])],
    ...(actor.rolesSuspended ? { suspended: actor.rolesSuspended } : {}),
  };
}
