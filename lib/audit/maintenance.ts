/**
 * Background and privileged audit maintenance: periodic checkpoints, outcome
 * reconciliation, and retention purges that drop whole partitions (never rows).
 */
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditAnchors } from "@/db/schema";
import { appendCheckpoint, type Checkpoint } from "@/lib/audit/checkpoint-file";
import { appendAuditEvent, appendAuditEventInTx, AUDIT_CHAIN_LOCK } from "@/lib/audit/record";
import { SYSTEM_ACTOR } from "@/lib/auth/actor";
import { dataDir } from "@/lib/env";

type Row = Record<string, unknown>;
const rows = async (db: Database, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: Row[] }).rows;

export function checkpointFile(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SWITCHYARD_AUDIT_CHECKPOINT_FILE ?? path.join(/*turbopackIgnore: true*/ dataDir(), "audit-checkpoints.jsonl"));
}

const system = { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.username, source: SYSTEM_ACTOR.source, roles: [] };

/** Writes the current chain head to the checkpoint file. */
export async function writeCheckpoint(db: Database, kind: Checkpoint["kind"] = "periodic", file = checkpointFile(), note?: string): Promise<Checkpoint> {
  const [head] = await rows(db, sql`SELECT last_id::text AS last_id, last_hash FROM audit_chain_head WHERE singleton = 'head'`);
  return appendCheckpoint(file, { kind, lastId: Number(head!.last_id), headHash: String(head!.last_hash), note });
}

/**
 * Intents older than `olderThanMs` with no outcome get an `unknown` outcome written by the
 * system actor (docs/security.md §19). One replica at a time (try-lock); returns how many.
 */
export async function reconcileOutcomes(db: Database, olderThanMs = 15 * 60_000): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  return db.transaction(async (tx) => {
    // One replica reconciles at a time; the others skip this round.
    const [lock] = ((await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${RECONCILE_LOCK}) AS got`)) as unknown as { rows: Array<{ got: boolean }> }).rows;
    if (!lock?.got) return 0;
    const orphans = ((await tx.execute(
      sql`SELECT i.id::text AS id, i.request_id, i.action, i.actor_id, i.actor_name, i.environment, i.namespace, i.target_kind, i.target_name, i.created_at
          FROM audit_events i
          WHERE i.phase = 'intent' AND i.created_at < ${cutoff}::timestamptz
            AND NOT EXISTS (SELECT 1 FROM audit_events o WHERE o.request_id = i.request_id AND o.phase = 'outcome')
          ORDER BY i.id LIMIT 1000`,
    )) as unknown as { rows: Row[] }).rows;
    for (const o of orphans) {
      await appendAuditEventInTx(tx, {
        requestId: String(o.request_id),
        phase: "outcome",
        outcome: "unknown",
        action: o.action as never,
        actor: system,
        environment: (o.environment as string | null) ?? null,
        namespace: (o.namespace as string | null) ?? null,
        targetKind: (o.target_kind as string | null) ?? null,
        targetName: (o.target_name as string | null) ?? null,
        detail: { reconciled: true, intentId: Number(o.id), intentActorId: o.actor_id, intentActorName: o.actor_name, intentAt: o.created_at },
      });
    }
    return orphans.length;
  });
}

const RECONCILE_LOCK = 0x5357_0002;

export interface PurgeReport {
  dropped: string[];
  purgedThroughId: number | null;
  cutoff: string;
}

/**
 * Drops whole monthly partitions entirely older than `olderThanDays`, after recording an
 * anchor (last dropped id and hash) so verification continues from there, and a checkpoint.
 * Needs a database role that owns the partitions. Rows are never deleted one by one.
 */
export async function purgeAuditPartitions(db: Database, olderThanDays: number, by: string, file = checkpointFile()): Promise<PurgeReport> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) throw new Error("olderThanDays must be a positive integer");
  const cutoff = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
  const report = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const parts = ((await tx.execute(sql`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_events'::regclass`)) as unknown as { rows: Array<{ name: string; bound: string }> }).rows;
    const old = parts
      .map((p) => ({ name: p.name, upper: /TO \('([^']+)'\)/.exec(p.bound)?.[1] }))
      .filter((p): p is { name: string; upper: string } => Boolean(p.upper) && new Date(p.upper!).toISOString() <= cutoff)
      .sort((a, b) => a.upper.localeCompare(b.upper));
    if (old.length === 0) return { dropped: [], purgedThroughId: null, cutoff };
    const names = old.map((p) => p.name);
    const list = sql.join(names.map((n) => sql.identifier(n)), sql`, `);
    const [last] = ((await tx.execute(sql`SELECT id::text AS id, hash FROM (SELECT id, hash FROM ${list}) x ORDER BY id DESC LIMIT 1`.inlineParams())) as unknown as {
      rows: Array<{ id: string; hash: string }>;
    }).rows;
    if (last) {
      // Partitions are by time and ids grow with time: what is dropped must be a prefix.
      const [younger] = ((await tx.execute(sql`SELECT count(*)::int AS n FROM audit_events WHERE id < ${Number(last.id)} AND created_at >= ${cutoff}::timestamptz`)) as unknown as {
        rows: Array<{ n: number }>;
      }).rows;
      if (younger && younger.n > 0) throw new Error("refusing to purge: dropped partitions would not be a prefix of the chain");
      await tx.insert(auditAnchors).values({ purgedThroughId: Number(last.id), lastHash: last.hash, partitions: names, purgedBy: by } as never);
    }
    for (const n of names) await tx.execute(sql`DROP TABLE ${sql.identifier(n)}`);
    return { dropped: names, purgedThroughId: last ? Number(last.id) : null, cutoff };
  });
  await appendAuditEvent(db, {
    requestId: randomUUID(),
    phase: "outcome",
    outcome: "succeeded",
    action: "audit.retention.purge",
    actor: { ...system, name: by },
    targetKind: "audit_log",
    detail: report,
  });
  await writeCheckpoint(db, "purge", file, `purged ${report.dropped.length} partition(s) through id ${report.purgedThroughId ?? "-"}`);
  return report;
}
