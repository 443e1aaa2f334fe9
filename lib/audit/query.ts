/**
 * Filtered, scoped reads of the audit log — one definition for the page, the API and the
 * export, so they can never disagree about who sees what (docs/security.md §16). Auditors and
 * admins with an unscoped grant see every row; everyone else sees only their own actions.
 */
import "server-only";
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { auditEvents, type AuditEventRow } from "@/db/schema";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "@/lib/audit/actions";
import type { ChainedRow } from "@/lib/audit/chain";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

const name = (field: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(512)
    .regex(/^[^\u0000-\u001f]*$/, `${field} must not contain control characters`);

export const AuditFilter = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    actor: name("actor").optional(),
    /** Exact action, or a prefix ending in ".*" (e.g. "config.*"). */
    action: z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "must be an audit action like config.publish or config.*")
      .optional(),
    outcome: z.enum([...AUDIT_OUTCOMES, "intent"]).optional(),
    environment: name("environment").optional(),
    namespace: name("namespace").optional(),
    targetKind: name("targetKind").optional(),
    targetName: name("targetName").optional(),
    requestId: z
      .string()
      .regex(/^[0-9a-f-]{8,64}$/i, "must be a request id")
      .optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after 'to'", path: ["from"] });
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditPageInput = AuditFilter.and(
  z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, "must be an event id")
      .optional(),
  }),
);
export type AuditPageInput = z.infer<typeof AuditPageInput>;

/** Whether the actor reads the whole log, or only their own rows. */
export function seesAllAudit(actor: Actor): boolean {
  return actor.grants.some((g) => (g.role === "admin" || g.role === "auditor") && g.environmentSelector.trim() === "*" && g.namespacePattern === "*");
}

export function auditConditions(actor: Actor, f: AuditFilter): SQL[] {
  const c: SQL[] = [];
  if (!seesAllAudit(actor)) c.push(eq(auditEvents.actorId, actor.id));
  if (f.from) c.push(gte(auditEvents.createdAt, new Date(f.from).toISOString()));
  if (f.to) c.push(lte(auditEvents.createdAt, new Date(f.to).toISOString()));
  if (f.actor) c.push(or(eq(auditEvents.actorName, f.actor), eq(auditEvents.actorId, f.actor))!);
  if (f.action) {
    // A prefix becomes the list of known actions it covers: equality uses the index, LIKE would not.
    const prefix = f.action.endsWith(".*") ? f.action.slice(0, -1) : null;
    const matching = prefix ? AUDIT_ACTIONS.filter((a) => a.startsWith(prefix)) : [f.action];
    c.push(matching.length ? inArray(auditEvents.action, matching) : sql`false`);
  }
  if (f.outcome === "intent") c.push(eq(auditEvents.phase, "intent"));
  else if (f.outcome) c.push(eq(auditEvents.outcome, f.outcome));
  if (f.environment) c.push(eq(auditEvents.environment, f.environment));
  if (f.namespace) c.push(eq(auditEvents.namespace, f.namespace));
  if (f.targetKind) c.push(eq(auditEvents.targetKind, f.targetKind));
  if (f.targetName) c.push(eq(auditEvents.targetName, f.targetName));
  if (f.requestId) c.push(eq(auditEvents.requestId, f.requestId));
  return c;
}

/** A row as the API returns it: every chained column plus its hash. */
export type AuditEventView = ChainedRow & { hash: string };

export function toView(r: AuditEventRow): AuditEventView {
  return { ...r, phase: r.phase, id: Number(r.id), createdAt: new Date(r.createdAt).toISOString() };
}

async function db() {
  return getDb().catch((e: unknown) => {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
  });
}

/** One page, newest first; `nextCursor` continues below the last id. */
export async function listAuditEvents(actor: Actor, input: AuditPageInput): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const c = auditConditions(actor, input);
  if (input.cursor) c.push(lt(auditEvents.id, Number(input.cursor)));
  const rows = await (await db())
    .select()
    .from(auditEvents)
    .where(c.length ? and(...c) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(toView);
  return { items, nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null };
}

/** One event with the rows that share its request id (intent ↔ outcome); 404 outside scope. */
export async function getAuditEvent(actor: Actor, id: number): Promise<{ event: AuditEventView; related: AuditEventView[] }> {
  const d = await db();
  const scope = auditConditions(actor, {});
  const [row] = await d
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.id, id), ...scope))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", `audit event ${id} not visible`);
  const related = await d
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, row.requestId), ...scope))
    .orderBy(asc(auditEvents.id));
  return { event: toView(row), related: related.filter((r) => Number(r.id) !== id).map(toView) };
}

/** Ascending batches for export, constant memory: the caller pulls until it gets []. */
export async function auditBatchAfter(actor: Actor, filter: AuditFilter, afterId: number, size: number): Promise<AuditEventRow[]> {
  const c = auditConditions(actor, filter);
  c.push(gt(auditEvents.id, afterId));
  return (await db())
    .select()
    .from(auditEvents)
    .where(and(...c))
    .orderBy(asc(auditEvents.id))
    .limit(size);
}

/** GET /api/v1/audit/activity: how many days of outcomes per day. */
export const AuditActivityQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });

/** GET /api/v1/audit/export: the audit filter plus the file format. */
export const AuditExportQuery = AuditFilter.and(z.object({ format: z.enum(["csv", "jsonl"]).default("jsonl") }));
