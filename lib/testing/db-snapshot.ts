/**
 * Every row of every table of a test database, for "changes nothing" checks: take one before
 * and one after, and compare them exactly (or name exactly what was added).
 *
 * Read as the superuser (PostgresFixture.asAdmin), so no grant or row filter hides a row; the
 * tables are whatever the migrations created in `public` — partitions are read through their
 * parent — so a table added later is covered without touching this file.
 */
import type { PostgresFixture } from "./db";

export type Row = Record<string, unknown>;
export type Snapshot = Record<string, Row[]>;

/** Tables a snapshot must include; if one is missing, the snapshot is wrong, not empty. */
export const STATE_TABLES = ["environments", "users", "sessions", "api_tokens", "role_bindings", "login_throttle", "audit_events", "audit_chain_head"] as const;

export async function snapshotDatabase(pg: PostgresFixture): Promise<Snapshot> {
  return pg.asAdmin(async (c) => {
    const tables = await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    const names = tables.rows.map((r) => r.name);
    const missing = STATE_TABLES.filter((t) => !names.includes(t));
    if (missing.length) throw new Error(`db-snapshot: tables missing from ${pg.name}: ${missing.join(", ")}`);
    const out: Snapshot = {};
    for (const name of names) {
      // Rows in a stable order (their JSON text), so two snapshots compare with toEqual.
      const rows = await c.query<{ r: Row }>(`SELECT to_jsonb(t) AS r FROM public."${name.replace(/"/g, '""')}" t ORDER BY to_jsonb(t)::text`);
      out[name] = rows.rows.map((r) => r.r);
    }
    return out;
  });
}

export interface TableChange {
  added: Row[];
  removed: Row[];
}

/** Per table that differs: the rows only in `after` and the rows only in `before` (multisets). */
export function snapshotChanges(before: Snapshot, after: Snapshot): Record<string, TableChange> {
  const out: Record<string, TableChange> = {};
  for (const table of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const left = (before[table] ?? []).map((r) => JSON.stringify(r));
    const right = (after[table] ?? []).map((r) => JSON.stringify(r));
    const removed = minus(left, right);
    const added = minus(right, left);
    if (removed.length || added.length || !(table in before) || !(table in after)) {
      out[table] = { added: added.map((s) => JSON.parse(s) as Row), removed: removed.map((s) => JSON.parse(s) as Row) };
    }
  }
  return out;
}

function minus(xs: string[], ys: string[]): string[] {
  const count = new Map<string, number>();
  for (const y of ys) count.set(y, (count.get(y) ?? 0) + 1);
  const out: string[] = [];
  for (const x of xs) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else out.push(x);
  }
  return out;
}
