/**
 * Opens the console database: embedded PGlite under the data directory when no DATABASE_URL
 * is set, PostgreSQL through node-postgres otherwise. Both get the same Drizzle schema and
 * the same migrations (db/migrate.ts).
 */
import path from "node:path";
import fs from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbLike = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface OpenOptions {
  url?: string;
  /** Directory for PGlite data; "memory://" for a throw-away database. */
  pgliteDir?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.statementTimeoutMs ?? 5_000,
      statement_timeout: options.statementTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
    });
    // A broken idle connection must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    const db = drizzle(pool, { schema }) as unknown as Database;
    return { db, kind: "postgres", close: () => pool.end() };
  }
  const dir = options.pgliteDir ?? ".data/pglite";
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let client;
  if (dir.startsWith("memory://")) {
    client = await PGlite.create(dir);
  } else {
    const abs = path.resolve(/*turbopackIgnore: true*/ dir);
    fs.mkdirSync(abs, { recursive: true, mode: 0o700 });
    client = await PGlite.create(abs);
  }
  const db = drizzle(client, { schema }) as unknown as Database;
  return { db, kind: "pglite", close: () => client.close() };
}
