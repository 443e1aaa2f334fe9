/**
 * `npm run db:migrate`: applies db/migrations to DATABASE_URL (PostgreSQL) or the embedded
 * PGlite database under SWITCHYARD_DATA_DIR, without starting the console.
 */
import path from "node:path";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { dataDir, serverEnv } from "@/lib/env";

async function main(): Promise<void> {
  const env = serverEnv();
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
