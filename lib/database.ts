/**
 * The process-wide database handle. First use opens the database, applies migrations and
 * creates the first admin account; everything after shares that one promise.
 *
 * With DATABASE_MIGRATION_URL the migrations run as that owner role, which then grants
 * DATABASE_URL's role only what the console needs (db/migrate.ts, docs/security.md §35).
 */
import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { assertMigrated, migrateAsOwner, migrateDatabase, migrationUrlFromEnv } from "@/db/migrate";
import { bootstrapFirstAdmin } from "@/lib/auth/bootstrap";
import { dataDir, isProductionDeployment, serverEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

export type { Database, DbLike, Tx } from "@/db/client";

// One handle per process. Next.js loads route handlers, server components and
// instrumentation as separate module graphs; a module-level variable would give each its
// own PGlite instance on the same data directory, blind to the others' writes.
const shared = globalThis as typeof globalThis & { __switchyardDb?: Promise<DatabaseHandle> };

async function open(): Promise<DatabaseHandle> {
  const env = serverEnv();
  const migrationUrl = migrationUrlFromEnv();
  if (migrationUrl) await migrateAsOwner(migrationUrl, env.DATABASE_URL!, { statementTimeoutMs: env.SWITCHYARD_DB_TIMEOUT_MS });
  const handle = await openDatabase({
    url: env.DATABASE_URL,
    pgliteDir: path.join(dataDir(), "pglite"),
    poolSize: env.SWITCHYARD_DB_POOL_SIZE,
    statementTimeoutMs: env.SWITCHYARD_DB_TIMEOUT_MS,
  });
  try {
    // With an owner, the console's role only checks that it sees the migrated schema.
    if (migrationUrl) await assertMigrated(handle);
    else await migrateDatabase(handle);
    if (!migrationUrl && isProductionDeployment(env) && (await ownsAuditLog(handle))) {
      logger.warn("DATABASE_MIGRATION_URL is not set and the console's database role owns the audit log: it could switch its triggers off (README: Database roles)");
    }
    await bootstrapFirstAdmin(handle.db);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  return handle;
}

async function ownsAuditLog(handle: DatabaseHandle): Promise<boolean> {
  const r = (await handle.db.execute(
    sql`SELECT pg_get_userbyid(relowner) = current_user AS owns FROM pg_class WHERE relname = 'audit_events' AND relnamespace = 'public'::regnamespace`,
  )) as unknown as { rows: Array<{ owns: boolean }> };
  return r.rows[0]?.owns === true;
}

export async function databaseHandle(): Promise<DatabaseHandle> {
  if (!shared.__switchyardDb) {
    shared.__switchyardDb = open().catch((e) => {
      shared.__switchyardDb = undefined; // let the next request try again
      throw e;
    });
  }
  return shared.__switchyardDb;
}

export async function getDb(): Promise<Database> {
  return (await databaseHandle()).db;
}

/** Tests and scripts swap in their own database. */
export function setProcessDatabase(handle: DatabaseHandle): void {
  shared.__switchyardDb = Promise.resolve(handle);
}
