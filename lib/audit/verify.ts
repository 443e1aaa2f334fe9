/**
 * Walks the whole audit chain in id order, in batches, and names the first broken row.
 * Also checks that the chain head record agrees with the last row.
 */
import { asc, gt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { ChainVerifier, type ChainBreak } from "@/lib/audit/chain";

export interface VerifyReport {
  ok: boolean;
  count: number;
  headHash: string;
  lastId: number;
  firstBroken: ChainBreak | null;
  headMismatch: boolean;
}

export async function verifyAuditChain(db: Database, batchSize = 5_000): Promise<VerifyReport> {
  const verifier = new ChainVerifier();
  let cursor = 0;
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.id, cursor)).orderBy(asc(auditEvents.id)).limit(batchSize);
    for (const r of rows) {
      const broken = verifier.next({
        ...r,
        id: Number(r.id),
        createdAt: new Date(r.createdAt).toISOString(),
      });
      if (broken) return { ok: false, count: verifier.count, headHash: verifier.headHash, lastId: verifier.lastId, firstBroken: broken, headMismatch: false };
    }
    if (rows.length < batchSize) break;
    cursor = Number(rows[rows.length - 1]!.id);
  }
  const head = await db.execute(sql`SELECT last_id::text AS last_id, last_hash FROM audit_chain_head WHERE singleton = 'head'`);
  const h = (head as unknown as { rows: Array<{ last_id: string; last_hash: string }> }).rows[0];
  const headMismatch = !h || Number(h.last_id) !== verifier.lastId || h.last_hash !== verifier.headHash;
  return { ok: !headMismatch, count: verifier.count, headHash: verifier.headHash, lastId: verifier.lastId, firstBroken: null, headMismatch };
}
