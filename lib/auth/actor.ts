/** Who is acting: the identity every authorization decision and audit row is about. */
import type { Grant } from "@/lib/auth/rbac";

export interface Actor {
  /** Stable id: users.id for people, "system" for background jobs. */
  id: string;
  username: string;
  displayName: string;
  source: "local" | "ldap" | "system";
  grants: Grant[];
  sessionId?: string;
  tokenId?: string;
}

/** The roles-at-the-time snapshot stored with every audit row (SECURITY.md 20). */
export function auditRoles(actor: Actor): Array<{ role: string; env: string; ns: string; via: string }> {
  return actor.grants.map((g) => ({ role: g.role, env: g.environmentSelector, ns: g.namespacePattern, via: g.via }));
}

export const SYSTEM_ACTOR: Actor = {
  id: "system",
  username: "system",
  displayName: "Switchyard (system)",
  source: "system",
  grants: [],
};
