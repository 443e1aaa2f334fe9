/**
 * Offline verification of a JSON Lines export: every row's hash recomputed, links checked
 * where rows are consecutive in the chain, and the closing manifest compared with what the
 * file holds. Needs no database.
 */
import fs from "node:fs";
import readline from "node:readline";
import { chainHash, type ChainedRow } from "@/lib/audit/chain";

export interface ExportVerifyReport {
  ok: boolean;
  count: number;
  /** Rows whose prev_hash is the previous row's hash (all of them in an unfiltered export). */
  linked: number;
  firstBroken: { line: number; id: number | null; reason: string } | null;
  manifest: { present: boolean; matches: boolean };
}

export async function verifyExportFile(file: string): Promise<ExportVerifyReport> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let line = 0;
  let count = 0;
  let linked = 0;
  let prev: { id: number; hash: string } | null = null;
  let first: number | null = null;
  let manifest: Record<string, unknown> | null = null;
  let broken: ExportVerifyReport["firstBroken"] = null;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text) as Record<string, unknown>;
    } catch {
      broken ??= { line, id: null, reason: "not_json" };
      continue;
    }
    if (obj.manifest === true) {
      manifest = obj;
      continue;
    }
    if (manifest) broken ??= { line, id: Number(obj.id), reason: "row_after_manifest" };
    const { hash, ...rest } = obj as unknown as ChainedRow & { hash: string };
    if (typeof hash !== "string" || chainHash(rest) !== hash) {
      broken ??= { line, id: Number(obj.id), reason: "hash_mismatch" };
    }
    if (prev && rest.id <= prev.id) broken ??= { line, id: rest.id, reason: "id_order" };
    if (prev && rest.prevHash === prev.hash) linked++;
    first ??= rest.id;
    prev = { id: rest.id, hash };
    count++;
  }
  const matches =
    manifest !== null &&
    manifest.count === count &&
    (manifest.firstId ?? null) === first &&
    (manifest.lastId ?? null) === (prev?.id ?? null) &&
    (manifest.headHash ?? null) === (prev?.hash ?? null);
  if (!manifest) broken ??= { line, id: null, reason: "manifest_missing" };
  else if (!matches) broken ??= { line, id: null, reason: "manifest_mismatch" };
  return { ok: broken === null, count, linked: count > 0 ? linked + 1 : 0, firstBroken: broken, manifest: { present: manifest !== null, matches } };
}
