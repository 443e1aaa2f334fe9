/**
 * Walks the audit chain in id order, in batches, and names the first broken row. The walk
 * starts at genesis, or at a retention anchor when older partitions were purged; the chain
 * head record must agree with the last row; and every checkpoint written outside the
 * database must still match, so a chain rebuilt from scratch is detected too.
 */
import { asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditAnchors, auditEvents } from "@/db/schema";
import { ChainVerifier, GENESIS_HASH, type ChainBreak } from "@/lib/audit/chain";
import type { Checkpoint } from "@/lib/audit/checkpoint-file";

export interface VerifyReport {
  ok: boolean;
  count: number;
  headHash: string;
  lastId: number;
  firstBroken: ChainBreak | null;
  headMismatch: boolean;
  startedFrom: "genesis" | { anchorId: number; purgedThroughId: number };
  checkpoints: { checked: number; mismatch: { lastId: number; at: string; reason: string } | null };
}

export async function verifyAuditChain(db: Database, options: { batchSize?: number; checkpoints?: Checkpoint[] } = {}): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 5_000;
  const [first] = await db.select({ id: auditEvents.id, prevHash: auditEvents.prevHash }).from(auditEvents).orderBy(asc(auditEvents.id)).limit(1);
  let verifier = new ChainVerifier();
  let startedFrom: VerifyReport["startedFrom"] = "genesis";
  if (first && first.prevHash !== GENESIS_HASH) {
    const [anchor] = await db.select().from(auditAnchors).where(eq(auditAnchors.lastHash, first.prevHash)).orderBy(desc(auditAnchors.id)).limit(1);
    if (anchor) {
      verifier = new ChainVerifier(anchor.lastHash, anchor.purgedThroughId);
      startedFrom = { anchorId: Number(anchor.id), purgedThroughId: anchor.purgedThroughId };
    }
  }
  let cursor = 0;
  const fail = (broken: ChainBreak): VerifyReport => ({
    ok: false,
    count: verifier.count,
    headHash: verifier.headHash,
    lastId: verifier.lastId,
    firstBroken: broken,
    headMismatch: false,
    startedFrom,
    checkpoints: { checked: 0, mismatch: null },
  });
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.id, cursor)).orderBy(asc(auditEvents.id)).limit(batchSize);
    for (const r of rows) {
      const broken = verifier.next({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt).toISOString() });
      if (broken) return fail(broken);
    }
    if (rows.length < batchSize) break;
    cursor = Number(rows[rows.length - 1]!.id);
  }
  const head = await db.execute(sql`SELECT last_id::text AS last_id, last_hash FROM audit_chain_head WHERE singleton = 'head'`);
  const h = (head as unknown as { rows: Array<{ last_id: string; last_hash: string }> }).rows[0];
  const headMismatch = !h || Number(h.last_id) !== verifier.lastId || h.last_hash !== verifier.headHash;

  const checkpoints = await checkCheckpoints(db, options.checkpoints ?? [], startedFrom);
  return {
    ok: !headMismatch && checkpoints.mismatch === null,
    count: verifier.count,
    headHash: verifier.headHash,
    lastId: verifier.lastId,
    firstBroken: null,
    headMismatch,
    startedFrom,
    checkpoints,
  };
}

/** Each checkpoint's head must still be the hash of the row it names (unless purged). */
async function checkCheckpoints(db: Database, checkpoints: Checkpoint[], startedFrom: VerifyReport["startedFrom"]): Promise<VerifyReport["checkpoints"]> {
  const purgedThrough = startedFrom === "genesis" ? 0 : startedFrom.purgedThroughId;
  let checked = 0;
  for (const cp of checkpoints) {
    if (cp.lastId === 0 || cp.lastId <= purgedThrough) continue;
    const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, cp.lastId)).limit(1);
    checked++;
    if (!row) return { checked, mismatch: { lastId: cp.lastId, at: cp.at, reason: "row_missing" } };
    if (row.hash !== cp.headHash) return { checked, mismatch: { lastId: cp.lastId, at: cp.at, reason: "hash_differs" } };
  }
  return { checked, mismatch: null };
}
