/**
 * Reads the audit log, newest first, with cursor pagination. Auditors and admins (audit.read)
 * see every row; everyone else sees only their own actions (SECURITY.md 16, 17).
 */
import "server-only";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { AuditOutcome } from "@/lib/audit/actions";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";

export const ListAuditEventsInput = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d+$/, "must be an event id")
    .optional(),
  outcome: AuditOutcome.optional(),
  action: z
    .string()
    .regex(/^[a-z_.]+$/, "must be an audit action")
    .optional(),
});
export type ListAuditEventsInput = z.infer<typeof ListAuditEventsInput>;

export interface AuditEventView {
  id: number;
  createdAt: string;
  requestId: string;
  phase: string;
  outcome: string | null;
  action: string;
  actorId: string;
  actorName: string;
  actorSource: string;
  environment: string | null;
  namespace: string | null;
  targetKind: string | null;
  targetName: string | null;
  clientIp: string | null;
}

export async function listAuditEvents(actor: Actor, input: ListAuditEventsInput): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const conditions: SQL[] = [];
  if (!decide(actor.grants, "audit.read")) conditions.push(eq(auditEvents.actorId, actor.id));
  if (input.cursor) conditions.push(lt(auditEvents.id, Number(input.cursor)));
  if (input.outcome) conditions.push(eq(auditEvents.outcome, input.outcome));
  if (input.action) conditions.push(or(eq(auditEvents.action, input.action))!);
  const db = await getDb().catch((e: unknown) => {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
  });
  const rows = await db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      requestId: auditEvents.requestId,
      phase: auditEvents.phase,
      outcome: auditEvents.outcome,
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      actorName: auditEvents.actorName,
      actorSource: auditEvents.actorSource,
      environment: auditEvents.environment,
      namespace: auditEvents.namespace,
      targetKind: auditEvents.targetKind,
      targetName: auditEvents.targetName,
      clientIp: auditEvents.clientIp,
    })
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt).toISOString() }));
  return { items, nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null };
}
