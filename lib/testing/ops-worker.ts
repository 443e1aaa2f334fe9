/**
 * A separate process that runs N real operations concurrently against one database, for the
 * two-process audit chain test. Usage: ops-worker.ts <databaseUrl> <userId> <count> <parallel>
 * Prints one JSON line: { ok, failed, errors }.
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "@/db/client";
import { setProcessDatabase } from "@/lib/database";
import { updatePreferences } from "@/lib/profile/update-preferences";
import { actorWithRole } from "@/lib/testing/actors";

async function main(): Promise<void> {
  const [url, userId, countArg, parallelArg] = process.argv.slice(2);
  if (!url || !userId) throw new Error("usage: ops-worker <databaseUrl> <userId> <count> <parallel>");
  const count = Number(countArg ?? 500);
  const parallel = Number(parallelArg ?? 25);
  const handle = await openDatabase({ url, poolSize: 10, statementTimeoutMs: 30_000 });
  setProcessDatabase(handle);
  const actor = actorWithRole("viewer", {}, userId);
  let next = 0;
  let ok = 0;
  const errors: string[] = [];
  async function lane(): Promise<void> {
    while (next < count) {
      const i = next++;
      try {
        await updatePreferences.execute(actor, { locale: i % 2 ? "en" : "zh-CN" }, { requestId: randomUUID(), clientIp: "127.0.0.1", userAgent: `worker-${process.pid}` });
        ok++;
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  await handle.close();
  process.stdout.write(JSON.stringify({ ok, failed: errors.length, errors: errors.slice(0, 5) }) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + "\n");
  process.exit(1);
});
