/**
 * The audit log on the stack's real PostgreSQL, used through the app role the console runs
 * as (not superuser, not the owner of the schema, which migrated it): append-only,
 * tamper-evident, one valid chain under concurrent writers in two processes (docs/security.md §22,
 * docs/security.md §35).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { appendAuditEvent } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";

const run = promisify(execFile);
let pg: PostgresFixture;

beforeAll(async () => {
  pg = await freshPostgres("audit");
});
afterAll(async () => pg?.drop());

async function appendSome(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await appendAuditEvent(pg.handle.db, {
      requestId: randomUUID(),
      phase: "outcome",
      outcome: "succeeded",
      action: "config.publish",
      actor: { id: "u1", name: "alice", source: "ldap", roles: [] },
      targetKind: "config",
      targetName: `app-${i}.yaml`,
    });
  }
}

function pgMessage(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  return `${err.cause?.message ?? ""} ${err.message ?? ""}`;
}

describe("audit log on PostgreSQL", () => {
  it("UPDATE, DELETE and TRUNCATE fail as the app role", async () => {
    await appendSome(3);
    // The app role lacks the privileges (db/roles.integration.test.ts has the whole list)…
    for (const stmt of [sql`UPDATE audit_events SET actor_name = 'mallory'`, sql`DELETE FROM audit_events`, sql`TRUNCATE audit_events`, sql`DELETE FROM audit_chain_head`]) {
      const e = await pg.handle.db.execute(stmt).then(() => null, (err: unknown) => err);
      expect(pgMessage(e)).toMatch(/permission denied/);
    }
    expect((await verifyAuditChain(pg.handle.db)).ok).toBe(true);
  });

  it("the triggers bind the owner too: UPDATE, DELETE and TRUNCATE fail as the migration owner", async () => {
    const month = new Date().toISOString().slice(0, 7).replace("-", "_");
    const statements = [
      "UPDATE audit_events SET actor_name = 'mallory'",
      "DELETE FROM audit_events",
      "TRUNCATE audit_events",
      // Partitions by name too.
      `TRUNCATE audit_events_${month}`,
      "DELETE FROM audit_chain_head",
    ];
    for (const stmt of statements) {
      const e = await pg.asOwner((c) => c.query(stmt)).then(() => null, (err: unknown) => err);
      expect(pgMessage(e), stmt).toMatch(/append-only/);
    }
    expect((await verifyAuditChain(pg.handle.db)).ok).toBe(true);
  });

  it("the app role cannot switch triggers off", async () => {
    const e = await pg.handle.db.execute(sql`SET session_replication_role = replica`).then(() => null, (err: unknown) => err);
    expect(pgMessage(e)).toMatch(/permission denied/);
  });

  it("1,000 concurrent operations from two processes leave one valid chain", async () => {
    const userId = randomUUID();
    await pg.handle.db.insert(users).values({ id: userId, username: "load", displayName: "Load", source: "local" });
    const before = (await verifyAuditChain(pg.handle.db)).count;
    const worker = path.resolve(__dirname, "../testing/ops-worker.ts");
    const args = ["--conditions=react-server", "--import", "tsx", worker, pg.appUrl, userId, "500", "25"];
    const opts = { cwd: path.resolve(__dirname, "../.."), maxBuffer: 10 * 1024 * 1024, timeout: 300_000 };
    const [a, b] = await Promise.all([run(process.execPath, args, opts), run(process.execPath, args, opts)]);
    for (const r of [a, b]) expect(JSON.parse(r.stdout.trim())).toMatchObject({ ok: 500, failed: 0 });
    const report = await verifyAuditChain(pg.handle.db);
    expect(report).toMatchObject({ ok: true, firstBroken: null, headMismatch: false });
    // Each operation: one intent + one outcome row.
    expect(report.count - before).toBe(2_000);
  }, 300_000);

  it("a superuser's edit of one row is named by id", async () => {
    const rows = ((await pg.handle.db.execute(sql`SELECT id::text AS id FROM audit_events ORDER BY id LIMIT 1 OFFSET 5`)) as unknown as { rows: Array<{ id: string }> }).rows;
    const victim = Number(rows[0]!.id);
    await pg.asAdmin(async (c) => {
      // Only a superuser can bypass the triggers, and the chain still tells.
      await c.query("SET session_replication_role = replica");
      await c.query("UPDATE audit_events SET actor_name = 'mallory' WHERE id = $1", [victim]);
    });
    const report = await verifyAuditChain(pg.handle.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ id: victim, reason: "hash_mismatch" });
  });
});
