/**
 * Checkpoints of the chain head, kept OUTSIDE the database in an append-only JSON Lines file,
 * each chained to the previous one. Whoever rewrites the database — rows and hashes alike —
 * cannot rewrite this file too without breaking its own chain.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { GENESIS_HASH } from "@/lib/audit/chain";

export const Checkpoint = z.object({
  kind: z.enum(["periodic", "purge", "manual"]),
  at: z.string(),
  lastId: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  note: z.string().optional(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

function checkpointHash(c: Omit<Checkpoint, "hash">): string {
  return createHash("sha256").update(c.prev).update(canonicalJson(c)).digest("hex");
}

/** Reads and verifies the file's own chain; throws naming the first bad line. */
export function readCheckpoints(file: string): Checkpoint[] {
  if (!fs.existsSync(file)) return [];
  const out: Checkpoint[] = [];
  let prev = GENESIS_HASH;
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  lines.forEach((line, i) => {
    const parsed = Checkpoint.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`checkpoint file ${file} line ${i + 1}: malformed`);
    const { hash, ...rest } = parsed.data;
    if (rest.prev !== prev || checkpointHash(rest) !== hash) throw new Error(`checkpoint file ${file} line ${i + 1}: chain broken`);
    prev = hash;
    out.push(parsed.data);
  });
  return out;
}

export function appendCheckpoint(file: string, entry: { kind: Checkpoint["kind"]; lastId: number; headHash: string; note?: string }): Checkpoint {
  const existing = readCheckpoints(file);
  const prev = existing.at(-1)?.hash ?? GENESIS_HASH;
  const body: Omit<Checkpoint, "hash"> = { kind: entry.kind, at: new Date().toISOString(), lastId: entry.lastId, headHash: entry.headHash, prev, ...(entry.note ? { note: entry.note } : {}) };
  const cp: Checkpoint = { ...body, hash: checkpointHash(body) };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, "a", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(cp) + "\n");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return cp;
}
