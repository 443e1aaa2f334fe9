/**
 * LDAP groups looked up by name for the role-binding form (issue #11): an admin types part of a
 * group's name and picks the group; the binding stores its DN. Who may: access.admin (the only
 * role that can bind). Read-only, by the console's service account; the text is escaped
 * (docs/security.md §48).
 */
import "server-only";
import { z } from "zod";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { searchLdapGroups, type LdapGroup } from "@/lib/auth/ldap";
import { ldapConfig } from "@/lib/auth/ldap-config";
import { decide } from "@/lib/auth/rbac";

export const LdapGroupQuery = z.object({
  search: z.string().trim().min(2, "type at least 2 characters").max(64, "at most 64 characters"),
});

export type LdapGroupQuery = z.infer<typeof LdapGroupQuery>;

/** Groups whose name contains the text; `configured: false` when the console has no LDAP. */
export async function findLdapGroups(actor: Actor, query: LdapGroupQuery): Promise<{ configured: boolean; items: LdapGroup[] }> {
  if (!decide(actor.grants, "access.admin")) throw forbidden(actor, "access.admin");
  const config = ldapConfig();
  if (!config) return { configured: false, items: [] };
  return { configured: true, items: await searchLdapGroups(config, query.search) };
}
