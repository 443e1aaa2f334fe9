/**
 * The rows one audited action writes, in the order of the write path (docs/architecture.md):
 * a refusal is one `denied` outcome row; otherwise an intent row before anything happens (fail
 * closed, docs/security.md §18) and an outcome row with the same request id. Used by
 * defineOperation (lib/ops), sign-in, sign-out and audit export, so each states only what it
 * records and how a lost row is handled.
 */
import "server-only";
import type { Database } from "@/db/client";
import { appendAuditEvent, type AuditActorFields, type AuditEntry } from "@/lib/audit/record";
import { auditRoles, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** The actor as every audit row records it: who, from where, their roles at the time (§20) and the API token used. */
export function auditActor(actor: Actor): AuditActorFields {
  return { id: actor.id, name: actor.username, source: actor.source, roles: auditRoles(actor), tokenId: actor.tokenId ?? null };
}

/** What every row of one action shares: request id, action, actor, target and client. */
export type AuditBase = Omit<AuditEntry, "phase" | "outcome">;

/** An outcome row's own fields. */
export type AuditOutcomeFields = Required<Pick<AuditEntry, "outcome">> & Pick<AuditEntry, "detail" | "before" | "after" | "versionBefore" | "versionAfter">;

/** Why the action did not happen when a row it cannot go without was not written (→ 503). */
export interface AuditRefusal {
  message: string;
  userMessage?: string;
}

function unavailable(refusal: AuditRefusal, cause: unknown): AppError {
  return new AppError("SERVICE_UNAVAILABLE", refusal.message, { cause, ...(refusal.userMessage ? { userMessage: refusal.userMessage } : {}), details: { system: "audit" } });
}

export interface AuditTrail {
  readonly base: AuditBase;
  /** The refusal on record. Best effort: a row that cannot be written is logged and the refusal stands. */
  denied(detail: unknown, logMessage?: string): Promise<void>;
  /** The intent on record before anything happens; when it cannot be written, a 503 and nothing happens. */
  intent(detail: unknown, refusal: AuditRefusal): Promise<void>;
  /**
   * The outcome, linked to the intent by request id. Best effort: the action has happened, so a
   * lost row is logged and the reconciler marks the intent `unknown` (docs/security.md §19).
   */
  outcome(fields: AuditOutcomeFields, logMessage?: string): Promise<void>;
  /**
   * An outcome row without an intent (sign-in, sign-out) that the action answers only once it is
   * written: the write's error, or a 503 when `refusal` says why.
   */
  recordedOutcome(fields: AuditOutcomeFields, refusal?: AuditRefusal): Promise<void>;
}

export function auditTrail(db: Database, base: AuditBase): AuditTrail {
  const context = { requestId: base.requestId, action: base.action };
  return {
    base,
    async denied(detail, logMessage = "could not audit a denied attempt") {
      try {
        await appendAuditEvent(db, { ...base, phase: "outcome", outcome: "denied", detail });
      } catch (e) {
        logger.error(logMessage, { err: e, ...context });
      }
    },
    async intent(detail, refusal) {
      try {
        await appendAuditEvent(db, { ...base, phase: "intent", detail });
      } catch (e) {
        throw unavailable(refusal, e);
      }
    },
    async outcome(fields, logMessage = "could not audit an outcome; the reconciler will mark it unknown") {
      try {
        await appendAuditEvent(db, { ...base, phase: "outcome", ...fields });
      } catch (e) {
        logger.error(logMessage, { err: e, ...context });
      }
    },
    async recordedOutcome(fields, refusal) {
      try {
        await appendAuditEvent(db, { ...base, phase: "outcome", ...fields });
      } catch (e) {
        throw refusal ? unavailable(refusal, e) : e;
      }
    },
  };
}
