/**
 * A Nacos config center as the actor may use it: the environment resolved in scope (404 outside
 * it), the namespace readable (404 otherwise), the permission checked, and the Nacos client.
 * Publishing to an environment labelled tier=prod needs an operator (or admin) grant covering
 * it (issue #13 "Roles"; docs/security.md §46) — checked inside the operation's target so a
 * refusal is audited as `denied` like any other.
 */
import "server-only";
import type { EnvironmentRow } from "@/db/schema";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import type { AuditAction } from "@/lib/audit/actions";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { decide, grantCovers, type Permission, type Scope } from "@/lib/auth/rbac";
import { nacosClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import type { OperationContext, OperationTarget } from "@/lib/ops/define-operation";

export type ConfigPermission = "config.read" | "config.publish" | "config.gray";

export function configScope(row: EnvironmentRow, namespace: string): Scope {
  return { environment: { name: row.name, labels: row.labels }, namespace: namespace || "public" };
}

/**
 * The environment row an operation's `configTarget` resolved, for its `run` (the same context
 * object): one lookup per operation instead of two. Authorization is decided again in
 * configCenterFor with it.
 */
const targetRows = new WeakMap<object, EnvironmentRow>();
export function targetRow(ctx: object, name: string): EnvironmentRow | string {
  const row = targetRows.get(ctx);
  return row && row.name === name ? row : name;
}

export async function configCenterFor(actor: Actor, environment: string | EnvironmentRow, namespace: string, permission: ConfigPermission = "config.read") {
  const row = typeof environment === "string" ? await resolveEnvironmentRow(actor, environment, "environment.read") : environment;
  const scope = configScope(row, namespace);
  if (!decide(actor.grants, "config.read", scope)) throw new AppError("NOT_FOUND", `namespace ${namespace || "public"} not visible in ${row.name}`);
  if (!decide(actor.grants, permission, scope)) throw forbidden(actor, permission);
  const client = row.registry?.kind === "nacos" ? nacosClientFor(row) : null;
  if (!client) {
    throw new AppError("VALIDATION", "not a Nacos environment", {
      fields: [{ field: "environment", message: "this environment has no Nacos config center" }],
      userMessage: `Environment ${row.name} has no Nacos config center.`,
    });
  }
  return { row, client, scope };
}

/** Whether an environment is production (label tier=prod). */
export function isProd(labels: Record<string, string>): boolean {
  return labels.tier === "prod";
}

/**
 * The tier=prod rule: a publish there needs an operator or admin grant that covers the scope
 * (not read-only). Elsewhere the operation's own permission decides alone.
 */
export function mayPublishTo(actor: Actor, scope: Scope): boolean {
  if (!scope.environment || !isProd(scope.environment.labels)) return true;
  return actor.grants.some((g) => (g.role === "operator" || g.role === "admin") && !g.readOnly && grantCovers(g, scope));
}

/**
 * The operation target of a config, after the tier=prod rule for publishing operations: a
 * developer publishing to production gets a `denied` audit row and 403, before any intent.
 */
export async function configTarget(
  input: { environment: string; namespace: string; group: string; dataId: string },
  ctx: Omit<OperationContext, "tx">,
  publish: { action: AuditAction; permission: Permission } | null,
): Promise<OperationTarget> {
  const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
  targetRows.set(ctx, row);
  const target: OperationTarget = { kind: "config", name: `${input.group}/${input.dataId}`, environment: { name: row.name, labels: row.labels }, namespace: input.namespace || "public" };
  const scope = configScope(row, input.namespace);
  if (publish && decide(ctx.actor.grants, publish.permission, scope) && !mayPublishTo(ctx.actor, scope)) {
    await auditTrail(ctx.db, {
      requestId: ctx.requestId,
      action: publish.action,
      actor: auditActor(ctx.actor),
      environment: row.name,
      namespace: target.namespace ?? null,
      targetKind: target.kind,
      targetName: target.name ?? null,
      clientIp: ctx.clientIp ?? null,
      userAgent: ctx.userAgent ?? null,
    }).denied({ permission: publish.permission, rule: "tier=prod needs operator" });
    throw new AppError("FORBIDDEN", `${ctx.actor.username} may not publish to production environment ${row.name}`, {
      details: { permission: publish.permission, rule: "tier=prod needs operator" },
      userMessage: `Publishing to ${row.name} (tier=prod) needs the operator role.`,
    });
  }
  return target;
}
