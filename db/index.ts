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

let handlePromise: Promise<DatabaseHandle> | undefined;

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
  if (!handlePromise) {
    handlePromise = open().catch((e) => {
      handlePromise = undefined; // let the next request try again
      throw e;
    });
  }
  return handlePromise;
}

export async function getDb(): Promise<Database> {
  return (await databaseHandle()).db;
}

/** Tests and scripts swap in their own database. */
export function setProcessDatabase(handle: DatabaseHandle): void {
  handlePromise = Promise.resolve(handle);
}
