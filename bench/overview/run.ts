/**
 * Overview benchmark — prints figures, never a pass/fail test (issue #16).
 *
 * Path measured: getOverview (lib/overview/overview.ts), in process, on a fresh PostgreSQL
 * database of the stack, for an admin, over 4 environments of one site whose registries hold
 * 10,000 services between them, with 30 days of sampler rows as the sampler leaves them: the last
 * 24 hours per minute, the 29 days before per hour (per environment: 1,440 + 696 rows) and
 * audit rows of changes. Rows: the environment view and the site view for 24 h and 7 d.
 * Baseline: the one SQL statement a hand-written dashboard would run for the same figures
 * (latest counts and the binned history of the scope's rows), on the same database, alternating.
 * Target (issue): p95 ≤ 150 ms.
 *
 * Usage: npx tsx --conditions=react-server bench/overview/run.ts [--requests 200]
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { setProcessDatabase } from "@/lib/database";
import { getOverview } from "@/lib/overview/overview";
import { actorWithRole } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { cleanupOnExit } from "../exit-cleanup";

const args = process.argv.slice(2);
const REQUESTS = Number(args[args.indexOf("--requests") + 1]) || 200;
const ENVS = 4;
const SERVICES = 10_000;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main() {
  let pg: PostgresFixture | undefined;
  const cleanup = async () => {
    await pg?.drop();
  };
  cleanupOnExit(cleanup);
  try {
    pg = await freshPostgres("benchov");
    setProcessDatabase(pg.handle);
    const ids: string[] = [];
    await pg.asOwner(async (c) => {
      for (let e = 0; e < ENVS; e++) {
        const id = randomUUID();
        ids.push(id);
        await c.query(`INSERT INTO environments (id, name, labels, registry) VALUES ($1, $2, $3, $4)`, [
          id,
          `bench-${e}`,
          JSON.stringify({ site: "bench", zone: `zone-${e}` }),
          JSON.stringify({ kind: "nacos", url: "http://127.0.0.1:1/nacos", namespaces: [""] }),
        ]);
        const per = SERVICES / ENVS;
        // Minutes of the last 24 h, hours of the 29 days before: what the sampler keeps.
        await c.query(
          `INSERT INTO overview_samples (environment_id, namespace, resolution, bucket, zone, services, instances, healthy, unhealthy, disabled, sampled_by)
           SELECT $1, '', 'minute', date_trunc('minute', now()) - g * interval '1 minute', $2, $3, $3 * 2, $3 * 2 - (g % 7), g % 7, g % 3, 'bench'
           FROM generate_series(0, 1439) g`,
          [id, `zone-${e}`, per],
        );
        await c.query(
          `INSERT INTO overview_samples (environment_id, namespace, resolution, bucket, zone, services, instances, healthy, unhealthy, disabled, sampled_by)
           SELECT $1, '', 'hour', date_trunc('hour', now() - interval '24 hours') - g * interval '1 hour', $2, $3, $3 * 2, $3 * 2 - (g % 5), g % 5, g % 2, 'bench'
           FROM generate_series(1, 696) g`,
          [id, `zone-${e}`, per],
        );
      }
    });
    const rows = await pg.asAdmin(async (c) => (await c.query("SELECT count(*)::int AS n FROM overview_samples")).rows[0].n as number);
    const admin = actorWithRole("admin");
    const direct = new Client({ connectionString: pg.appUrl });
    await direct.connect();
    const cases = [
      { name: "environment 24h", input: { environment: "bench-0", range: "24h" as const }, scope: [ids[0]!], step: "3600 seconds", since: "24 hours" },
      { name: "environment 7d", input: { environment: "bench-0", range: "7d" as const }, scope: [ids[0]!], step: "86400 seconds", since: "7 days" },
      { name: "site 24h", input: { site: "bench", range: "24h" as const }, scope: ids, step: "3600 seconds", since: "24 hours" },
      { name: "site 7d", input: { site: "bench", range: "7d" as const }, scope: ids, step: "86400 seconds", since: "7 days" },
    ];
    console.log(`overview bench: ${ENVS} environments, ${SERVICES} services, ${rows} sample rows (30 days), ${REQUESTS} requests per row, sequential, in process`);
    console.log("row               console p50  p95   | direct SQL p50  p95   | p95 ratio");
    for (const k of cases) {
      const mine: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < 10; i++) await getOverview(admin, k.input); // warm-up
      for (let i = 0; i < REQUESTS; i++) {
        const a = async () => {
          const t0 = performance.now();
          await getOverview(admin, k.input);
          mine.push(performance.now() - t0);
        };
        const b = async () => {
          const t0 = performance.now();
          await direct.query(
            `SELECT date_bin($2::interval, bucket, TIMESTAMPTZ '2000-01-01') AS t, environment_id, round(avg(instances)) AS instances, round(avg(unhealthy)) AS unhealthy
             FROM overview_samples WHERE environment_id = ANY($1::text[]) AND bucket >= now() - $3::interval GROUP BY 1, 2 ORDER BY 1`,
            [k.scope, k.step, k.since],
          );
          base.push(performance.now() - t0);
        };
        if (i % 2 === 0) {
          await a();
          await b();
        } else {
          await b();
          await a();
        }
      }
      const f = (n: number) => n.toFixed(1).padStart(6);
      console.log(`${k.name.padEnd(17)} ${f(pct(mine, 50))} ${f(pct(mine, 95))} ms | ${f(pct(base, 50))} ${f(pct(base, 95))} ms   | ${(pct(mine, 95) / pct(base, 95)).toFixed(1)}×`);
    }
    await direct.end();
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
