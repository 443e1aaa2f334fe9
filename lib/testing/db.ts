/**
 * Fresh, migrated databases for tests: embedded PGlite in memory, or a new database on the
 * stack's real PostgreSQL (created from its template, used through the non-owner app role).
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
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
  appUrl: string;
  adminUrl: string;
  handle: DatabaseHandle;
  /** Runs SQL as the superuser on this database (for tamper tests). */
  asAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
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
  const template = process.env.SWITCHYARD_TEST_PG_TEMPLATE ?? "switchyard_template";
  const appRole = new URL(appBase).username;
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new Client({ connectionString: adminBase });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    // CREATE: the migrator keeps its journal in a schema of its own ("drizzle").
    await admin.query(`GRANT CONNECT, TEMP, CREATE ON DATABASE ${name} TO ${appRole}`);
  } finally {
    await admin.end();
  }
  const appUrl = withDatabase(appBase, name);
  const adminUrl = withDatabase(adminBase, name);
  const handle = await openDatabase({ url: appUrl, poolSize: 10 });
  await migrateDatabase(handle);
  return {
    name,
    appUrl,
    adminUrl,
    handle,
    async asAdmin(fn) {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    },
    async drop() {
      await handle.close().catch(() => undefined);
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
