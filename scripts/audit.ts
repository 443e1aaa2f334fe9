/**
 * Audit log maintenance from a shell:
 *   npm run audit:verify                        walk the chain (+ checkpoints); exit 1 if broken
 *   npm run audit:verify -- --file x.jsonl      verify an exported file offline
 *   npm run audit -- checkpoint                 write the chain head to the checkpoint file
 *   npm run audit -- reconcile [--minutes 15]   mark intents without outcome as unknown
 *   npm run audit -- purge --older-than-days 400 --yes   drop whole expired partitions
 * Uses DATABASE_URL or the embedded database, like the console.
 */
import path from "node:path";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { readCheckpoints } from "@/lib/audit/checkpoint-file";
import { checkpointFile, purgeAuditPartitions, reconcileOutcomes, writeCheckpoint } from "@/lib/audit/maintenance";
import { verifyAuditChain } from "@/lib/audit/verify";
import { verifyExportFile } from "@/lib/audit/verify-export";
import { dataDir, serverEnv } from "@/lib/env";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const command = process.argv[2] ?? "verify";
  if (command === "verify" && arg("--file")) {
    const report = await verifyExportFile(path.resolve(arg("--file")!));
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    return report.ok ? 0 : 1;
  }
  const env = serverEnv();
  const handle = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(dataDir(), "pglite"), statementTimeoutMs: 600_000 });
  try {
    await migrateDatabase(handle);
    switch (command) {
      case "verify": {
        const report = await verifyAuditChain(handle.db, { checkpoints: readCheckpoints(arg("--checkpoints") ?? checkpointFile()) });
        process.stdout.write(JSON.stringify(report, null, 2) + "\n");
        if (!report.ok) {
          const why = report.firstBroken
            ? `first broken row: id ${report.firstBroken.id} (${report.firstBroken.reason})`
            : report.checkpoints.mismatch
              ? `checkpoint of ${report.checkpoints.mismatch.at} no longer matches row ${report.checkpoints.mismatch.lastId} (${report.checkpoints.mismatch.reason}): the chain was rebuilt`
              : "chain head record does not match the last row";
          process.stderr.write(`audit chain NOT intact: ${why}\n`);
        }
        return report.ok ? 0 : 1;
      }
      case "checkpoint":
        process.stdout.write(JSON.stringify(await writeCheckpoint(handle.db, "manual")) + "\n");
        return 0;
      case "reconcile":
        process.stdout.write(`marked ${await reconcileOutcomes(handle.db, Number(arg("--minutes") ?? 15) * 60_000)} intent(s) as outcome unknown\n`);
        return 0;
      case "purge": {
        const days = Number(arg("--older-than-days"));
        if (!process.argv.includes("--yes")) {
          process.stderr.write("purge drops whole audit partitions for good; add --yes to proceed\n");
          return 2;
        }
        process.stdout.write(JSON.stringify(await purgeAuditPartitions(handle.db, days, process.env.USER ?? "cli"), null, 2) + "\n");
        return 0;
      }
      default:
        process.stderr.write(`unknown command ${command}\n`);
        return 2;
    }
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`audit: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
