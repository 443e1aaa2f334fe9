/**
 * The audit hash chain (docs/security.md §22): hash = sha256(prev_hash || canonical_json(row)),
 * where row is every column but `hash`. Pure: used when appending, when verifying the table
 * and when verifying an exported JSON Lines file offline.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/canonical-json";

export const GENESIS_HASH = "0".repeat(64);

/** The columns that are chained, in their canonical (JSON) form. */
export interface ChainedRow {
  id: number;
  createdAt: string; // ISO 8601, millisecond precision, UTC
  requestId: string;
  phase: "intent" | "outcome";
  outcome: string | null;
  action: string;
  actorId: string;
  actorName: string;
  actorSource: string;
  actorRoles: unknown;
  tokenId: string | null;
  environment: string | null;
  namespace: string | null;
  targetKind: string | null;
  targetName: string | null;
  versionBefore: string | null;
  versionAfter: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
  clientIp: string | null;
  userAgent: string | null;
  prevHash: string;
}

export function chainHash(row: ChainedRow): string {
  return createHash("sha256").update(row.prevHash, "utf8").update(canonicalJson(row), "utf8").digest("hex");
}

export type ChainBreak = { id: number; reason: "prev_hash_mismatch" | "hash_mismatch" | "id_order" };

/**
 * Walks rows in id order. Returns the first broken row, or null when every link holds.
 * `expectPrev` lets a caller continue a walk across batches.
 */
export class ChainVerifier {
  private prevHash: string;
  private prevId: number;
  count = 0;

  constructor(startHash = GENESIS_HASH, startId = 0) {
    this.prevHash = startHash;
    this.prevId = startId;
  }

  get headHash(): string {
    return this.prevHash;
  }

  get lastId(): number {
    return this.prevId;
  }

  /** Feeds one row; returns a break, or null. */
  next(row: ChainedRow & { hash: string }): ChainBreak | null {
    if (row.id <= this.prevId) return { id: row.id, reason: "id_order" };
    if (row.prevHash !== this.prevHash) return { id: row.id, reason: "prev_hash_mismatch" };
    const { hash, ...chained } = row;
    if (chainHash(chained) !== hash) return { id: row.id, reason: "hash_mismatch" };
    this.prevHash = hash;
    this.prevId = row.id;
    this.count++;
    return null;
  }
}
