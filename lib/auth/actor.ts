/** Who is acting: the identity every authorization decision and audit row is about. */
import type { Grant } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";

export interface Actor {
  /** Stable id: users.id for people, "system" for background jobs. */
  id: string;
  username: string;
  displayName: string;
  source: "local" | "ldap" | "system";
  grants: Grant[];
  sessionId?: string;
  tokenId?: string;
  /**
   * Set when an LDAP user's roles are suspended because the directory has not confirmed them
   * for longer than SWITCHYARD_LDAP_MAX_STALE_MINUTES (grants are then empty): the reason
   * shown with every 403 (docs/security.md §36).
   */
  rolesSuspended?: string;
}

/** The 403 for an actor lacking a permission, with the suspension reason when there is one. */
export function forbidden(actor: Actor, permission: string): AppError {
  return new AppError("FORBIDDEN", `${actor.username} lacks ${permission}${actor.rolesSuspended ? " (roles suspended)" : ""}`, {
    details: { permission, ...(actor.rolesSuspended ? { rolesSuspended: true } : {}) },
    ...(actor.rolesSuspended ? { userMessage: actor.rolesSuspended } : {}),
  });
}

/** The roles-at-the-time snapshot stored with every audit row (docs/security.md §20). */
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
