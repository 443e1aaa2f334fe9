/**
 * The one mutation path (DESIGN.md, STYLE.md "One write path"):
 *   session → input.parse → permission (denied → audit `denied`, 403)
 *   → audit intent (if it cannot be written: 503, the backend is never called)
 *   → run → audit outcome (succeeded | failed | conflict | partial | unknown) as a new row,
 *     linked to the intent by request id.
 * Database-only operations (`transactional: true`) get a transaction in which their changes
 * and the outcome row commit together.
 */
import "server-only";
import type { z } from "zod";
import { getDb } from "@/lib/database";
import type { Database, Tx } from "@/db/client";
import type { AuditAction, AuditOutcome } from "@/lib/audit/actions";
import { appendAuditEventInTx, type AuditEntry, type RequestMeta } from "@/lib/audit/record";
import { auditActor, auditTrail, type AuditBase, type AuditOutcomeFields } from "@/lib/audit/trail";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { decide, type Permission, type Scope } from "@/lib/auth/rbac";
import { AppError, isAppError } from "@/lib/errors";
import { zodToAppError } from "@/lib/zod-error";
import { redactInlineSecrets, redactSecretsInText } from "@/lib/redact";
import { registerOperation } from "@/lib/ops/registry";

export interface OperationTarget {
  environment?: { name: string; labels: Record<string, string> };
  namespace?: string;
  kind: string;
  name?: string;
}

export type { RequestMeta };

export interface OperationContext extends RequestMeta {
  actor: Actor;
  db: Database;
  /** Set for transactional operations: write through this, not `db`. */
  tx?: Tx;
}

export interface RunResult<O> {
  result: O;
  before?: unknown;
  after?: unknown;
  versionBefore?: string | null;
  versionAfter?: string | null;
  /**
   * `partial` when a multi-object change only partly applied (docs/security.md §28); `unknown`
   * when a change was sent but the backend did not confirm it in time (it may or may not have
   * landed). Default `succeeded`.
   */
  outcome?: Extract<AuditOutcome, "succeeded" | "partial" | "unknown">;
  detail?: Record<string, unknown>;
}

export interface OperationDefinition<S extends z.ZodType, O> {
  action: AuditAction;
  permission: Permission;
  input: S;
  /** Where the change lands; may load records (and throw NOT_FOUND) to learn the scope. */
  target: (input: z.output<S>, ctx: Omit<OperationContext, "tx">) => OperationTarget | Promise<OperationTarget>;
  run: (input: z.output<S>, ctx: OperationContext) => Promise<RunResult<O>>;
  transactional?: boolean;
  /** Answer 404 instead of 403 when the actor may not even see the target (docs/security.md §14). */
  hideWhenUnreadable?: Permission;
}

export interface Operation<S extends z.ZodType, O> {
  /** The input schema, for forms and API docs. */
  readonly input: S;
  readonly action: AuditAction;
  readonly permission: Permission;
  readonly transactional: boolean;
  execute(actor: Actor | null, rawInput: unknown, meta: RequestMeta): Promise<O>;
}

function scopeOf(target: OperationTarget): Scope {
  return { environment: target.environment, namespace: target.namespace };
}

function outcomeFor(error: unknown): AuditOutcome {
  return isAppError(error) && error.code === "CONFLICT" ? "conflict" : "failed";
}

function errorDetail(error: unknown): Record<string, unknown> {
  if (isAppError(error)) return { code: error.code, message: error.userMessage, ...(error.details ?? {}) };
  return { code: "INTERNAL" };
}

export function defineOperation<S extends z.ZodType, O>(def: OperationDefinition<S, O>): Operation<S, O> {
  const op: Operation<S, O> = {
    input: def.input,
    action: def.action,
    permission: def.permission,
    transactional: def.transactional ?? false,
    async execute(actor, rawInput, meta) {
      if (!actor) throw new AppError("UNAUTHENTICATED", "no session");
      const parsed = def.input.safeParse(rawInput);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const input = parsed.data;

      let db: Database;
      try {
        db = await getDb();
      } catch (e) {
        throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
      }
      const baseCtx = { ...meta, actor, db };
      const target = await def.target(input, baseCtx);
      const base: AuditBase = {
        requestId: meta.requestId,
        action: def.action,
        actor: auditActor(actor),
        environment: target.environment?.name ?? null,
        namespace: target.namespace ?? null,
        targetKind: target.kind,
        targetName: target.name ?? null,
        clientIp: meta.clientIp ?? null,
        userAgent: meta.userAgent ?? null,
      };
      const trail = auditTrail(db, base);

      if (!decide(actor.grants, def.permission, scopeOf(target))) {
        await trail.denied({ permission: def.permission }, "could not audit a denied attempt");
        if (def.hideWhenUnreadable && !decide(actor.grants, def.hideWhenUnreadable, scopeOf(target))) {
          throw new AppError("NOT_FOUND", `${target.kind} not found in the actor's scope`);
        }
        throw forbidden(actor, def.permission);
      }

      // Fail closed: nothing happens unless the intent is on record (docs/security.md §18).
      await trail.intent(
        { input: summarizeInput(input) },
        { message: "audit intent could not be written; operation not attempted", userMessage: "The audit log cannot be written, so nothing was changed. Try again later." },
      );

      let outcome: RunResult<O>;
      try {
        if (op.transactional) {
          outcome = await db.transaction(async (tx) => {
            const r = await def.run(input, { ...baseCtx, tx });
            await appendAuditEventInTx(tx, outcomeEntry(base, r));
            return r;
          });
          return outcome.result;
        }
        outcome = await def.run(input, baseCtx);
      } catch (error) {
        await trail.outcome({ outcome: outcomeFor(error), detail: errorDetail(error) }, "could not audit an operation's failure; the reconciler will mark it unknown");
        throw error;
      }
      // The change happened; a lost outcome row leaves the intent on record and the reconciler reports it.
      await trail.outcome(outcomeFields(outcome), "could not audit an operation's outcome; the reconciler will mark it unknown");
      return outcome.result;
    },
  };
  registerOperation(op);
  return op;
}

function outcomeEntry<O>(base: AuditBase, r: RunResult<O>): AuditEntry {
  return { ...base, phase: "outcome", ...outcomeFields(r) };
}

function outcomeFields<O>(r: RunResult<O>): AuditOutcomeFields {
  return {
    outcome: r.outcome ?? "succeeded",
    before: r.before,
    after: r.after,
    versionBefore: r.versionBefore ?? null,
    versionAfter: r.versionAfter ?? null,
    detail: r.detail,
  };
}

/**
 * Inputs go into the intent row: secret-keyed values are redacted by the recorder, and
 * secret-looking lines inside text (config content, znode data: `db.password=…`) here;
 * large inputs are cut.
 */
function summarizeInput(input: unknown): unknown {
  const s = JSON.stringify(input ?? null);
  if (s.length > 8_192) return { truncated: true, length: s.length };
  return JSON.parse(s, (_k, v: unknown) => (typeof v === "string" ? redactInlineSecrets(redactSecretsInText(v)) : v)) as unknown;
}
