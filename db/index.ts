/**
 * The process-wide database handle. First use opens the database, applies migrations and
 * creates the first admin account; everything after shares that one promise.
 */
import "server-only";
import path from "node:path";
import { openDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { bootstrapFirstAdmin } from "@/lib/auth/bootstrap";
import { dataDir, serverEnv } from "@/lib/env";

export type { Database, DbLike, Tx } from "@/db/client";

// One handle per process. Next.js loads route handlers, server components and
// instrumentation as separate module graphs; a module-level variable would give each its
// own PGlite instance on the same data directory, blind to the others' writes.
const shared = globalThis as typeof globalThis & { __switchyardDb?: Promise<DatabaseHandle> };

async function open(): Promise<DatabaseHandle> {
  const env = serverEnv();
  const handle = await openDatabase({
    url: env.DATABASE_URL,
    pgliteDir: path.join(dataDir(), "pglite"),
    poolSize: env.SWITCHYARD_DB_POOL_SIZE,
    statementTimeoutMs: env.SWITCHYARD_DB_TIMEOUT_MS,
  });
  await migrateDatabase(handle);
  await bootstrapFirstAdmin(handle.db);
  return handle;
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
