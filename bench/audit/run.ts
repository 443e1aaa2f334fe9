/**
 * Audit benchmark (prints figures; never a pass/fail test). Against the stack's PostgreSQL:
 *   1. chained insert throughput (advisory lock + hash) vs. a plain INSERT of the same row
 *   2. export of N rows as JSON Lines: seconds and peak RSS of this process
 *   3. filtered query p50/p95 over M rows (bulk-loaded with generate_series)
 * Usage: npm run bench:audit -- [--inserts 5000] [--export 1000000] [--rows 10000000]
 * Targets (issue): ≥ 2,000 events/s; 1M-row export ≤ 20 s and ≤ 256 MB RSS; p95 ≤ 100 ms.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { setProcessDatabase } from "@/db";
import { exportAudit } from "@/lib/audit/export";
import { listAuditEvents } from "@/lib/audit/query";
import { appendAuditEvent } from "@/lib/audit/record";
import { actorWithRole } from "@/lib/testing/actors";
import { freshPostgres } from "@/lib/testing/db";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const inserts = arg("--inserts", 5_000);
  const exportRows = arg("--export", 1_000_000);
  const totalRows = arg("--rows", 10_000_000);
  const pg = await freshPostgres("bench");
  setProcessDatabase(pg.handle);
  const auditor = actorWithRole("auditor");
  try {
    // 1. Insert throughput: 8 concurrent writers, like 8 in-flight requests.
    const entry = () => ({
      requestId: randomUUID(),
      phase: "outcome" as const,
      outcome: "succeeded" as const,
      action: "config.publish" as const,
      actor: { id: "bench", name: "bench", source: "local", roles: [{ role: "operator", env: "*", ns: "*", via: "user" }] },
      environment: "prod-hz-j",
      namespace: "public",
      targetKind: "config",
      targetName: "app.yaml",
      after: { md5: "x".repeat(32) },
    });
    // Concurrent writers = requests in flight; group commit batches what arrives together.
    const chained: string[] = [];
    let chainedPerSec = 0;
    for (const writers of [1, 8, 32]) {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (next++ < inserts) await appendAuditEvent(pg.handle.db, entry());
        }),
      );
      chainedPerSec = inserts / ((performance.now() - t0) / 1000);
      chained.push(`${writers} writer(s) ${chainedPerSec.toFixed(0)}/s`);
    }

    const direct = new Client({ connectionString: pg.appUrl });
    await direct.connect();
    await direct.query("CREATE TEMP TABLE plain (LIKE audit_events)");
    const t1 = performance.now();
    for (let i = 0; i < inserts; i++) {
      await direct.query(
        "INSERT INTO plain (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, prev_hash, hash) VALUES ($1, now(), $2, 'outcome', 'succeeded', 'config.publish', 'bench', 'bench', 'local', '[]', 'x', 'y')",
        [i, randomUUID()],
      );
    }
    const plainPerSec = inserts / ((performance.now() - t1) / 1000);
    await direct.end();
    console.log(`insert: chained ${chained.join(", ")} · plain INSERT (1 writer, no chain) ${plainPerSec.toFixed(0)}/s · ratio plain/chained@32 ${(plainPerSec / chainedPerSec).toFixed(2)} · target ≥ 2000/s`);

    // Bulk rows for export and query figures (not chained: these measure reading).
    const bulk = Math.max(exportRows, totalRows);
    if (bulk === 0) return;
    const tb = performance.now();
    await pg.asAdmin(async (c) => {
      await c.query("SET session_replication_role = replica");
      const months = 12;
      for (let m = 0; m < months; m++) await c.query(`SELECT audit_ensure_partition(now() - interval '${m} month')`);
      const step = 1_000_000;
      for (let from = 1; from <= bulk; from += step) {
        const to = Math.min(bulk, from + step - 1);
        await c.query(
          `INSERT INTO audit_events (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, environment, namespace, target_kind, target_name, prev_hash, hash)
           SELECT 1000000 + g, now() - ((${bulk} - g) * interval '2 second'), md5(g::text), 'outcome',
                  (ARRAY['succeeded','succeeded','succeeded','succeeded','succeeded','succeeded','failed','denied','conflict','unknown'])[1 + g % 10], (ARRAY['config.publish','mesh.policy.write','service.instance.update','gateway.route.write','config.gray.start'])[1 + (g / 10) % 5],
                  'u' || (g % 500), 'user' || (g % 500), 'ldap', '[]', 'prod-' || (g % 8), 'ns-' || (g % 40), 'config', 'app-' || (g % 5000) || '.yaml', 'x', md5(g::text)
           FROM generate_series(${from}, ${to}) g`,
        );
      }
      await c.query("ANALYZE audit_events");
    });
    console.log(`bulk load: ${bulk.toLocaleString()} rows in ${((performance.now() - tb) / 1000).toFixed(1)} s`);

    // 2. Export: stream JSON Lines of the newest exportRows rows, discard bytes, watch RSS.
    const since = (await pg.asAdmin((c) => c.query(`SELECT created_at FROM audit_events ORDER BY id DESC OFFSET ${exportRows - 1} LIMIT 1`))).rows[0]?.created_at as Date;
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const te = performance.now();
    const reader = (await exportAudit(auditor, { from: since.toISOString() }, "jsonl", { requestId: randomUUID() })).getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
    }
    clearInterval(sampler);
    console.log(`export: ${exportRows.toLocaleString()} rows, ${(bytes / 1024 ** 2).toFixed(0)} MiB JSONL in ${((performance.now() - te) / 1000).toFixed(1)} s · peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB · targets ≤ 20 s, ≤ 256 MB`);

    // 3. Filtered queries, first page, over the whole table.
    const filters = [
      { action: "config.publish" },
      { actor: "user42" },
      { environment: "prod-3", namespace: "ns-11" },
      { outcome: "denied" as const, action: "mesh.*" },
      { targetKind: "config", targetName: "app-77.yaml" },
      { from: new Date(Date.now() - 86_400_000).toISOString(), outcome: "failed" as const },
    ];
    const times: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const f of filters) {
        const tq = performance.now();
        await listAuditEvents(auditor, { ...f, limit: 50 });
        times.push(performance.now() - tq);
      }
    }
    console.log(`query: ${times.length} filtered first pages over ${bulk.toLocaleString()} rows · p50 ${pct(times, 50).toFixed(1)} ms · p95 ${pct(times, 95).toFixed(1)} ms · target p95 ≤ 100 ms`);
  } finally {
    await pg.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
