/**
 * Every audit action. Operations declare one; the audit table stores only these. Shares its
 * vocabulary with permissions (lib/auth/rbac.ts).
 */
import { z } from "zod";

export const AUDIT_ACTIONS = [
  "session.sign_in",
  "session.sign_out",
  "profile.preferences.update",
  "profile.password.change",
  "access.user.create",
  "access.user.disable",
  "access.user.enable",
  "access.user.password.reset",
  "access.binding.create",
  "access.binding.delete",
  "access.token.create",
  "access.token.revoke",
  "environment.create",
  "environment.update",
  "environment.delete",
  /** Stored credentials re-encrypted under another key (docs/security.md §38), system actor. */
  "environment.credentials.rekey",
  "service.instance.update",
  "service.instance.disable_everywhere",
  "registry.znode.write",
  "registry.znode.delete",
  "config.publish",
  "config.delete",
  "config.rollback",
  "config.gray.start",
  "config.gray.promote",
  "config.gray.abort",
  "config.create",
  "config.gray.widen",
  /** Configs exported as a zip (keys and count audited, contents never; secrets redacted in the zip). */
  "config.export",
  /** A zip imported into a namespace (one row per written config besides, as config.create / config.publish). */
  "config.import",
  /** Configs cloned to another namespace or environment (likewise one row per written config). */
  "config.clone",
  "mesh.policy.write",
  "mesh.policy.delete",
  "mesh.policy.rollback",
  "gateway.route.write",
  "gateway.route.delete",
  "gateway.route.rollback",
  "audit.export",
  "audit.reconcile",
  "audit.retention.purge",
] as const;

export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_OUTCOMES = ["succeeded", "failed", "conflict", "denied", "unknown", "partial"] as const;
export const AuditOutcome = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof AuditOutcome>;
