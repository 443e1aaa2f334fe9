// GET /api/v1/access/groups?search= – LDAP groups whose name contains the text, with their DNs, for the binding form (access.admin)
import { findLdapGroups, LdapGroupQuery } from "@/lib/access/ldap-groups";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute({ permission: "access.admin" }, async (req, { actor }) => json(await findLdapGroups(actor, readQuery(req, LdapGroupQuery))));
