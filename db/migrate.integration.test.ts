/**
 * The same migrations on embedded PGlite and on the stack's PostgreSQL yield the same schema,
 * and the audit guarantees (triggers, partitions) hold on both.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateAsOwner, migrateDatabase, migrationUrlFromEnv, roleOf } from "@/db/migrate";
import { freshPglite, freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

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

  it("are idempotent: running them again (as the owner, grants included) changes nothing", async () => {
    await migrateAsOwner(pg.migrationUrl, pg.appUrl);
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

describe("two database roles (docs/security.md §35)", () => {
  it("the app role gets only what the console needs", async () => {
    const privileges = await q(
      pg.handle,
      sql`SELECT t.relname AS table, string_agg(p.priv, ',' ORDER BY p.priv) AS granted
          FROM pg_class t CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p(priv)
          WHERE t.relnamespace = 'public'::regnamespace AND t.relkind IN ('r', 'p') AND NOT t.relispartition
            AND has_table_privilege(current_user, t.oid, p.priv)
          GROUP BY t.relname ORDER BY t.relname`,
    );
    const byTable = Object.fromEntries(privileges.map((p) => [p.table, p.granted]));
    expect(byTable).toMatchObject({ audit_events: "INSERT,SELECT", audit_chain_head: "SELECT,UPDATE", audit_anchors: "SELECT", users: "DELETE,INSERT,SELECT,UPDATE", environments: "DELETE,INSERT,SELECT,UPDATE" });
    for (const [table, granted] of Object.entries(byTable)) expect(String(granted), table).not.toMatch(/TRUNCATE|REFERENCES|TRIGGER/);
    const [schema] = await q(pg.handle, sql`SELECT has_schema_privilege('public', 'CREATE') AS public_create, has_database_privilege(current_database(), 'CREATE') AS db_create`);
    expect(schema).toEqual({ public_create: false, db_create: false });
  });

  it("as the app role, migrating only checks that nothing is pending", async () => {
    await expect(migrateDatabase(pg.handle)).resolves.toBeUndefined();
    await pg.asOwner((c) => c.query("DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)"));
    try {
      await expect(migrateDatabase(pg.handle)).rejects.toThrow(/migrations pending.*DATABASE_MIGRATION_URL/);
    } finally {
      // Put the journal back as it was: the owner re-applies nothing (every statement ran).
      await pg.asOwner(async (c) => {
        const { readMigrationFiles } = await import("drizzle-orm/migrator");
        const { migrationsFolder } = await import("@/db/migrate");
        const last = readMigrationFiles({ migrationsFolder: migrationsFolder() }).at(-1)!;
        await c.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [last.hash, last.folderMillis]);
      });
    }
    await expect(migrateDatabase(pg.handle)).resolves.toBeUndefined();
  });

  it("an install whose tables the app role owns is refused, naming the way out", async () => {
    const name = `legacy_${randomBytes(5).toString("hex")}`;
    const admin = new Client({ connectionString: peerEnv("postgres", "PG_ADMIN_URL") });
    const appRole = roleOf(peerEnv("postgres", "PG_URL"));
    const ownerRole = roleOf(peerEnv("postgres", "PG_MIGRATION_URL"));
    const url = (base: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
    await admin.connect();
    try {
      // Yesterday's single-role install: the app role created (so owns) everything.
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.SWITCHYARD_TEST_PG_TEMPLATE ?? "switchyard_template"} OWNER ${ownerRole}`);
      await admin.query(`GRANT CONNECT, TEMP, CREATE ON DATABASE ${name} TO ${appRole}`);
      const inDb = new Client({ connectionString: url(peerEnv("postgres", "PG_ADMIN_URL")) });
      await inDb.connect();
      await inDb.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${appRole}`).finally(() => inDb.end());
      const single = await openDatabase({ url: url(peerEnv("postgres", "PG_URL")) });
      await migrateDatabase(single).finally(() => single.close());
      await expect(migrateAsOwner(url(peerEnv("postgres", "PG_MIGRATION_URL")), url(peerEnv("postgres", "PG_URL")))).rejects.toThrow(
        new RegExp(`owned by ${appRole}, not by DATABASE_MIGRATION_URL's role: .*REASSIGN OWNED BY ${appRole} TO <owner>`),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("DATABASE_MIGRATION_URL is checked before anything runs", () => {
    const app = "postgres://app:pw@db:5432/switchyard";
    expect(migrationUrlFromEnv({ DATABASE_URL: app })).toBeUndefined();
    expect(migrationUrlFromEnv({ DATABASE_URL: app, DATABASE_MIGRATION_URL: "postgres://owner:pw@db:5432/switchyard" })).toBe("postgres://owner:pw@db:5432/switchyard");
    expect(() => migrationUrlFromEnv({ DATABASE_MIGRATION_URL: "postgres://owner:pw@db:5432/switchyard" })).toThrow(/needs DATABASE_URL/);
    expect(() => migrationUrlFromEnv({ DATABASE_URL: app, DATABASE_MIGRATION_URL: "mysql://owner@db/x" })).toThrow(/postgres:\/\//);
    expect(() => migrationUrlFromEnv({ DATABASE_URL: app, DATABASE_MIGRATION_URL: "postgres://app:other@db:5432/switchyard" })).toThrow(/another role/);
    expect(() => migrationUrlFromEnv({ DATABASE_URL: app, DATABASE_MIGRATION_URL: "postgres://owner:pw@db:5432/other" })).toThrow(/same database/);
  });
});
