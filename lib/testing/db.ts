/**
 * Fresh, migrated databases for tests: embedded PGlite in memory, or a new database on the
 * stack's real PostgreSQL — created from its template, owned by the migration role, migrated
 * and granted exactly as production start-up does with DATABASE_MIGRATION_URL
 * (db/migrate.ts), and handed to the test through the non-owner app role, so every test
 * runs under the production grants (docs/security.md §35).
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateAsOwner, migrateDatabase, roleOf } from "@/db/migrate";
import { resetAuditPartitionCache } from "@/lib/audit/record";
import { peerEnv } from "./peers";

export async function freshPglite(): Promise<DatabaseHandle> {
  resetAuditPartitionCache();
  const handle = await openDatabase({ pgliteDir: "memory://" });
  await migrateDatabase(handle);
  return handle;
}

export interface PostgresFixture {
  name: string;
  /** The console's role (not the owner): what DATABASE_URL would be. */
  appUrl: string;
  /** The owner that migrated it: what DATABASE_MIGRATION_URL would be. */
  migrationUrl: string;
  adminUrl: string;
  /** Connected as the app role. */
  handle: DatabaseHandle;
  /** Runs SQL as the superuser on this database (for tamper tests). */
  asAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  /** Runs SQL as the migration owner. */
  asOwner<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  /** A handle as the migration owner, for owner-only maintenance (retention purges); closed by drop(). */
  owner(): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

async function as<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function freshPostgres(prefix = "t"): Promise<PostgresFixture> {
  resetAuditPartitionCache();
  const adminBase = peerEnv("postgres", "PG_ADMIN_URL");
  const appBase = peerEnv("postgres", "PG_URL");
  const ownerBase = peerEnv("postgres", "PG_MIGRATION_URL");
  const template = process.env.SWITCHYARD_TEST_PG_TEMPLATE ?? "switchyard_template";
  const appRole = roleOf(appBase);
  const ownerRole = roleOf(ownerBase);
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const adminUrl = withDatabase(adminBase, name);
  const admin = new Client({ connectionString: adminBase });
  await admin.connect();
  try {
    // The owner owns the database, hence its public schema (pg_database_owner) and the
    // migrator's journal schema; the app role may connect and use, never create.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${ownerRole}`);
    // README "Database roles" grants CONNECT only; TEMP stays for bench/audit's plain-table
    // comparison. No CREATE: the app role cannot add objects to the schema.
    await admin.query(`GRANT CONNECT, TEMP ON DATABASE ${name} TO ${appRole}`);
  } finally {
    await admin.end();
  }
  // Templates made by an older scripts/stack/postgres.sh gave the app role CREATE on public.
  await as(adminUrl, (c) => c.query(`REVOKE CREATE ON SCHEMA public FROM ${appRole}`));
  const appUrl = withDatabase(appBase, name);
  const migrationUrl = withDatabase(ownerBase, name);
  await migrateAsOwner(migrationUrl, appUrl);
  const handle = await openDatabase({ url: appUrl, poolSize: 10 });
  let owner: Promise<DatabaseHandle> | undefined;
  return {
    name,
    appUrl,
    migrationUrl,
    adminUrl,
    handle,
    asAdmin: (fn) => as(adminUrl, fn),
    asOwner: (fn) => as(migrationUrl, fn),
    owner: () => (owner ??= openDatabase({ url: migrationUrl, poolSize: 2 })),
    async drop() {
      await handle.close().catch(() => undefined);
      if (owner) await (await owner).close().catch(() => undefined);
      const c = new Client({ connectionString: adminBase });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
