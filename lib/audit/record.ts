/**
 * Appends to the audit log: one row per call, chained to its predecessor. Inserts are
 * serialized by a transaction-scoped advisory lock so the chain has exactly one order
 * across every replica sharing the database (docs/security.md §22).
 */
import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { z } from "zod";
import { AuditAction, AuditOutcome } from "@/lib/audit/actions";
import { chainHash, type ChainedRow } from "@/lib/audit/chain";
import { redactAuditValue } from "@/lib/redact";
import { metrics, observeAuditAppend } from "@/lib/metrics/registry";

export const AUDIT_CHAIN_LOCK = 0x5357_4155; // "SWAU"

export interface AuditActorFields {
  id: string;
  name: string;
  source: string;
  roles: unknown;
  tokenId?: string | null;
}

/** Who sent the request, as recorded on every audit row it produces. */
export interface RequestMeta {
  requestId: string;
  clientIp?: string | null;
  userAgent?: string | null;
}

const OptionalText = z.string().nullish();

/**
 * One audit row as callers hand it in, checked with zod at the boundary like every other input
 * (issue #10): a bad entry is a programming error and is refused before anything is written.
 * Long texts are not refused — they are cut to their column (toChainedRow); values are redacted.
 */
export const AuditEntry = z
  .object({
    requestId: z.string().min(1, "an audit row needs the request id"),
    phase: z.enum(["intent", "outcome"]),
    outcome: AuditOutcome.nullish(),
    action: AuditAction,
    actor: z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      source: z.string().min(1),
      roles: z.unknown(),
      tokenId: OptionalText,
    }),
    environment: OptionalText,
    namespace: OptionalText,
    targetKind: OptionalText,
    targetName: OptionalText,
    versionBefore: OptionalText,
    versionAfter: OptionalText,
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    detail: z.unknown().optional(),
    clientIp: OptionalText,
    userAgent: OptionalText,
  })
  .refine((e) => (e.phase === "intent") === (e.outcome == null), { message: "an intent has no outcome and an outcome row must name one", path: ["outcome"] });

export type AuditEntry = z.input<typeof AuditEntry>;

export interface AppendedEvent {
  id: number;
  hash: string;
  createdAt: string;
}

/** Text columns and jsonb cannot hold NUL; strip it rather than lose the row. */
function clean<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\u0000/g, "") as T;
  if (Array.isArray(value)) return value.map(clean) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)])) as T;
  }
  return value;
}

function text(v: string | null | undefined, max = 1024): string | null {
  if (v === undefined || v === null) return null;
  return clean(v).slice(0, max);
}

function json(v: unknown): unknown {
  if (v === undefined) return null;
  // redactAuditValue gives the JSON form, so what we hash is exactly what jsonb will give
  // back. Secrets go by key (password: …), by format inside text (config content, znode data:
  // YAML, JSON, properties, XML, else line rules) and inside base64 data (docs/security.md §21).
  return clean(redactAuditValue(v));
}

const knownPartitions = new Set<string>();

interface Pending {
  db: Database;
  entry: AuditEntry;
  resolve: (e: AppendedEvent) => void;
  reject: (err: unknown) => void;
}

const queue: Pending[] = [];
metrics().setAuditQueue(() => queue.length);
let flushing = false;
const MAX_BATCH = 500;

/**
 * Appends one event in its own transaction: the row has committed when this returns, which
 * fail-closed callers rely on. Concurrent appends in this process are committed together
 * (group commit): one lock, one head read, one multi-row insert — the chain order is the
 * same, and each caller still waits for its own row's commit.
 */
export function appendAuditEvent(db: Database, entry: AuditEntry): Promise<AppendedEvent> {
  validateEntry(entry);
  return new Promise((resolve, reject) => {
    queue.push({ db, entry, resolve, reject });
    if (!flushing) void flush();
  });
}

async function flush(): Promise<void> {
  flushing = true;
  try {
    while (queue.length > 0) {
      const db = queue[0]!.db;
      const batch: Pending[] = [];
      for (let i = 0; i < queue.length && batch.length < MAX_BATCH; ) {
        if (queue[i]!.db === db) batch.push(...queue.splice(i, 1));
        else i++;
      }
      const started = performance.now();
      try {
        const appended = await db.transaction((tx) => appendBatchInTx(tx, batch.map((b) => b.entry)));
        observeAuditAppend(started, batch.length, true);
        // Only a committed partition is known to exist; a rolled-back one is not.
        knownPartitions.add(appended[0]!.createdAt.slice(0, 7));
        batch.forEach((b, i) => b.resolve(appended[i]!));
      } catch (e) {
        observeAuditAppend(started, batch.length, false);
        for (const b of batch) b.reject(e);
      }
    }
  } finally {
    flushing = false;
  }
}

/** Appends one event inside the caller's transaction (database-only operations). */
export async function appendAuditEventInTx(tx: Tx, entry: AuditEntry): Promise<AppendedEvent> {
  validateEntry(entry);
  return (await appendBatchInTx(tx, [entry]))[0]!;
}

function validateEntry(entry: AuditEntry): void {
  const parsed = AuditEntry.safeParse(entry);
  if (!parsed.success) throw new Error(`audit: invalid entry: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(entry)"}: ${i.message}`).join("; ")}`);
}

async function appendBatchInTx(tx: Tx, entries: AuditEntry[]): Promise<AppendedEvent[]> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const head = await tx.execute(sql`
    SELECT h.last_hash AS last_hash,
           (SELECT string_agg(nextval('audit_events_id_seq')::text, ',') FROM generate_series(1, ${entries.length})) AS ids,
           (extract(epoch from clock_timestamp()) * 1000)::bigint::text AS ms
    FROM audit_chain_head h WHERE h.singleton = 'head'`);
  const headRow = (head as unknown as { rows: Array<{ last_hash: string; ids: string; ms: string }> }).rows[0];
  if (!headRow) throw new Error("audit: chain head row is missing");
  const ids = headRow.ids.split(",").map(Number).sort((a, b) => a - b);
  const createdAt = new Date(Number(headRow.ms)).toISOString();
  if (!knownPartitions.has(createdAt.slice(0, 7))) {
    await tx.execute(sql`SELECT audit_ensure_partition(${createdAt}::timestamptz)`);
  }
  let prevHash = headRow.last_hash;
  const rows: Array<ChainedRow & { hash: string }> = [];
  entries.forEach((entry, i) => {
    const row = toChainedRow(entry, ids[i]!, createdAt, prevHash);
    const hash = chainHash(row);
    rows.push({ ...row, hash });
    prevHash = hash;
  });
  await tx.insert(auditEvents).values(rows as Array<typeof auditEvents.$inferInsert>);
  const last = rows[rows.length - 1]!;
  await tx.execute(sql`UPDATE audit_chain_head SET last_id = ${last.id}, last_hash = ${last.hash} WHERE singleton = 'head'`);
  return rows.map((r) => ({ id: r.id, hash: r.hash, createdAt }));
}

function toChainedRow(entry: AuditEntry, id: number, createdAt: string, prevHash: string): ChainedRow {
  return {
    id,
    createdAt,
    requestId: text(entry.requestId, 64)!,
    phase: entry.phase,
    outcome: entry.outcome ?? null,
    action: entry.action,
    actorId: text(entry.actor.id, 512)!,
    actorName: text(entry.actor.name, 512)!,
    actorSource: text(entry.actor.source, 32)!,
    actorRoles: json(entry.actor.roles) ?? [],
    tokenId: text(entry.actor.tokenId, 64),
    environment: text(entry.environment, 128),
    namespace: text(entry.namespace, 256),
    targetKind: text(entry.targetKind, 128),
    targetName: text(entry.targetName, 512),
    versionBefore: text(entry.versionBefore, 256),
    versionAfter: text(entry.versionAfter, 256),
    before: json(entry.before),
    after: json(entry.after),
    detail: json(entry.detail),
    clientIp: text(entry.clientIp, 64),
    userAgent: text(entry.userAgent, 512),
    prevHash,
  };
}

/** Forget cached partition knowledge (tests that recreate databases). */
export function resetAuditPartitionCache(): void {
  knownPartitions.clear();
}
