/**
 * The same migrations on embedded PGlite and on the stack's PostgreSQL yield the same schema,
 * and the audit guarantees (triggers, partitions) hold on both.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { freshPglite, freshPostgres, type PostgresFixture } from "@/lib/testing/db";

type Row = Record<string, unknown>;
async function q(h: DatabaseHandle, query: ReturnType<typeof sql>): Promise<Row[]> {
  return ((await h.db.execute(query)) as unknown as { rows: Row[] }).rows;
}

async function schemaOf(h: DatabaseHandle) {
  const columns = await q(
    h,
    sql`SELECT table_name, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'audit_events_%'
        ORDER BY table_name, column_name`,
  );
  const triggers = await q(
    h,
    sql`SELECT c.relname AS table_name, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal AND c.relname NOT SIMILAR TO 'audit_events_[0-9]%' ORDER BY 1, 2`,
  );
  const indexes = await q(h, sql`SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'audit_events_%' ORDER BY 1, 2`);
  const functions = await q(h, sql`SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`);
  const partitioned = await q(h, sql`SELECT relname FROM pg_class WHERE relkind = 'p' AND relnamespace = 'public'::regnamespace`);
  return { columns, triggers, indexes, functions, partitioned };
}

let lite: DatabaseHandle;
let pg: PostgresFixture;

beforeAll(async () => {
  lite = await freshPglite();
  pg = await freshPostgres("mig");
});
afterAll(async () => {
  await lite?.close();
  await pg?.drop();
});

describe("migrations", () => {
  it("produce the same schema on PGlite and PostgreSQL", async () => {
    const a = await schemaOf(lite);
    const b = await schemaOf(pg.handle);
    expect(a.columns.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
    expect(a.partitioned).toEqual([{ relname: "audit_events" }]);
  });

  it("are idempotent: running them again changes nothing", async () => {
    const { migrateDatabase } = await import("@/db/migrate");
    await migrateDatabase(pg.handle);
    await migrateDatabase(lite);
    expect(await schemaOf(pg.handle)).toEqual(await schemaOf(lite));
  });

  it("create this and next month's audit partitions on both", async () => {
    for (const h of [lite, pg.handle]) {
      const parts = await q(h, sql`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1`);
      const month = new Date().toISOString().slice(0, 7).replace("-", "_");
      expect(parts.map((p) => p.relname)).toContain(`audit_events_${month}`);
      expect(parts.map((p) => p.relname)).toContain("audit_events_default");
    }
  });
});
