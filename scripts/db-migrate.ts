/**
 * `npm run db:migrate`: applies db/migrations to DATABASE_URL (PostgreSQL) or the embedded
 * PGlite database under SWITCHYARD_DATA_DIR, without starting the console.
 *
 * With DATABASE_MIGRATION_URL the migrations run as that owner role, which then grants
 * DATABASE_URL's role only what the console needs (db/migrate.ts, docs/security.md §35).
 */
import path from "node:path";
import { openDatabase } from "@/db/client";
import { migrateAsOwner, migrateDatabase, migrationUrlFromEnv, roleOf } from "@/db/migrate";
import { dataDir, serverEnv } from "@/lib/env";

async function main(): Promise<void> {
  const env = serverEnv();
  const migrationUrl = migrationUrlFromEnv();
  if (migrationUrl) {
    await migrateAsOwner(migrationUrl, env.DATABASE_URL!, { statementTimeoutMs: env.SWITCHYARD_DB_TIMEOUT_MS });
    process.stdout.write(`migrations applied (postgres, as ${roleOf(migrationUrl)}; ${roleOf(env.DATABASE_URL!)} granted)\n`);
    return;
  }
  const handle = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(dataDir(), "pglite") });
  try {
    await migrateDatabase(handle);
    process.stdout.write(`migrations applied (${handle.kind})\n`);
  } finally {
    await handle.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
