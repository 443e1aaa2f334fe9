/**
 * docs/security.md §35 (issue #8 item 8): the migration owner and the console's database role
 * are different. On the stack's real PostgreSQL, migrated as the owner exactly as start-up
 * does with DATABASE_MIGRATION_URL, the app role cannot switch off, drop or replace what
 * makes the audit log append-only, nor drop, detach or truncate a partition; it can still
 * append and read, and roll the log over to a new month.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";

type Row = Record<string, string>;
async function rows(query: ReturnType<typeof sql>): Promise<Row[]> {
  return ((await pg.handle.db.execute(query)) as unknown as { rows: Row[] }).rows;
}

let pg: PostgresFixture;
const month = new Date().toISOString().slice(0, 7).replace("-", "_");

beforeAll(async () => {
  pg = await freshPostgres("roles");
});
afterAll(async () => pg?.drop());

/** Runs one statement as the app role in a transaction that is always rolled back. */
async function asApp(statement: string): Promise<{ code?: string; message: string } | null> {
  const c = new Client({ connectionString: pg.appUrl });
  await c.connect();
  try {
    await c.query("BEGIN");
    try {
      await c.query(statement);
      return null;
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { code: err.code, message: err.message };
    } finally {
      await c.query("ROLLBACK");
    }
  } finally {
    await c.end();
  }
}

describe("audit store ownership (app role ≠ owner)", () => {
  it("the app role owns none of the audit objects", async () => {
    const r = await rows(
      sql`SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, current_user AS me
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'audit%'`,
    );
    expect(r.length).toBeGreaterThan(4);
    for (const row of r) expect(row.owner, row.relname).not.toBe(row.me);
  });

  it.each([
    ["disable every trigger", "ALTER TABLE audit_events DISABLE TRIGGER ALL"],
    ["disable the append-only trigger", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"],
    ["drop the append-only trigger", "DROP TRIGGER audit_events_append_only ON audit_events"],
    ["drop the chain head's trigger", "DROP TRIGGER audit_chain_head_keep ON audit_chain_head"],
    ["drop a partition", `DROP TABLE audit_events_${month}`],
    ["drop the default partition", "DROP TABLE audit_events_default"],
    ["detach a partition", `ALTER TABLE audit_events DETACH PARTITION audit_events_${month}`],
    ["disable a partition's truncate guard", `ALTER TABLE audit_events_${month} DISABLE TRIGGER ALL`],
    ["truncate the log", "TRUNCATE audit_events"],
    ["truncate a partition", `TRUNCATE audit_events_${month}`],
    ["update a row", "UPDATE audit_events SET actor_name = 'mallory'"],
    ["delete rows", "DELETE FROM audit_events"],
    ["replace the guard function", "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"],
    ["drop the anchors' guard", "DROP TRIGGER audit_anchors_append_only ON audit_anchors"],
    ["forge a purge anchor", "INSERT INTO audit_anchors (purged_through_id, last_hash, partitions, purged_by) VALUES (1, 'x', '[]', 'mallory')"],
    ["squat on a future partition's name", "CREATE TABLE audit_events_2099_01 (id bigint)"],
  ])("the app role cannot %s", async (_name, statement) => {
    const err = await asApp(statement);
    expect(err, statement).not.toBeNull();
    expect(err!.code).toBe("42501");
    // Refused by privileges, not merely by the trigger the owner could still switch off.
    expect(err!.message).toMatch(/must be owner|permission denied/);
  });

  it("the app role still appends, reads, and rolls the log over to a new month", async () => {
    for (let i = 0; i < 3; i++) {
      await appendAuditEvent(pg.handle.db, {
        requestId: randomUUID(),
        phase: "outcome",
        outcome: "succeeded",
        action: "config.publish",
        actor: { id: "u1", name: "alice", source: "local", roles: [] },
        targetKind: "config",
        targetName: `app-${i}.yaml`,
      });
    }
    expect(await verifyAuditChain(pg.handle.db)).toMatchObject({ ok: true, count: 3 });
    // Month roll-over goes through the owner's SECURITY DEFINER function; the new partition
    // belongs to the owner, so the app role cannot drop it either.
    await pg.handle.db.execute(sql`SELECT audit_ensure_partition('2031-03-15T00:00:00Z')`);
    const [owner] = await rows(sql`SELECT pg_get_userbyid(relowner) AS owner, current_user AS me FROM pg_class WHERE relname = 'audit_events_2031_03'`);
    expect(owner!.owner).not.toBe(owner!.me);
    expect(await asApp("DROP TABLE audit_events_2031_03")).toMatchObject({ code: "42501" });
  });
});
