/**
 * Overview benchmark — prints figures, never a pass/fail test (issue #16).
 *
 * Path measured: an HTTP client (Node fetch, keep-alive) → the BUILT console (`node
 * scripts/server.mts`, NODE_ENV=production, lib/testing/console-server.ts, sampler off) on a fresh
 * PostgreSQL database of the stack → GET /api/v1/overview?environment=…|site=…&range=… with an
 * admin session. Data: 4 environments of one site (one zone each, each with a Kubernetes API)
 * whose registries hold 10,000 services between them, with 30 days of the sampler's rows as the
 * samplers leave them (lib/overview/sampler.ts, validation-sampler.ts): registry counts and
 * validation errors (mesh and gateway, a marker row per sample — some unknown — plus a row per
 * namespace with errors or warnings) for the last 24 h per minute and the 29 days before per hour,
 * and 30 days of audit outcome rows of changes (unchained: this database is never verified).
 * Rows: the environment view and the site view for 24 h and 7 d.
 * Baseline, in the same run, alternating: the one SQL statement a hand-written dashboard would run
 * for the same figures (binned registry history and validation counts of the scope's rows), from
 * this process on the same database.
 * Target (issue #16): overview API p95 ≤ 150 ms with 30 days of samples for 10,000 services in
 * 4 environments.
 * Also: first-load JS of /overview against /services (issue #16), as the browser loads it — the
 * script files the built console's HTML names, raw and gzip bytes.
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npm run bench:overview -- [--requests 100]
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { Client } from "pg";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { cleanupOnExit } from "../exit-cleanup";

const args = process.argv.slice(2);
const REQUESTS = Number(args[args.indexOf("--requests") + 1]) || 100;
const ENVS = 4;
const SERVICES = 10_000;
/** Per environment, namespaces with mesh (resp. gateway) objects in error or warning. */
const MESH_NS = 8;
const GATEWAY_NS = 4;
/** Audit outcome rows of changes per environment and day. */
const CHANGES_PER_DAY = 200;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const f = (n: number) => n.toFixed(1).padStart(6);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** What the sampler leaves per environment: registry counts, validation markers and namespace rows, minute then hour. */
async function seed(c: Client, id: string, e: number): Promise<void> {
  const per = SERVICES / ENVS;
  await c.query(
    `INSERT INTO environments (id, name, labels, registry, kubernetes) VALUES ($1, $2, $3, $4, $5)`,
    [id, `bench-${e}`, JSON.stringify({ site: "bench", zone: `zone-${e}` }), JSON.stringify({ kind: "nacos", url: "http://127.0.0.1:1/nacos", namespaces: [""] }), JSON.stringify({ apiUrl: "https://127.0.0.1:1", auth: "bearer-token" })],
  );
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
  // Validation (lib/overview/validation-sampler.ts): per area and sample a marker row ('' namespace;
  // NULL = not judged, here one sample in 97), and for judged samples a row per namespace whose
  // objects have errors or warnings (none where both are 0). Hour rows are an hour's last sample, whole.
  const samples = `
    SELECT 'minute' AS resolution, date_trunc('minute', now()) - g * interval '1 minute' AS bucket, g FROM generate_series(0, 1439) g
    UNION ALL
    SELECT 'hour', date_trunc('hour', now() - interval '24 hours') - g * interval '1 hour', g FROM generate_series(1, 696) g`;
  await c.query(
    `INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by)
     SELECT $1, a.area, '', s.resolution, s.bucket, CASE WHEN s.g % 97 = 5 THEN NULL ELSE 0 END, CASE WHEN s.g % 97 = 5 THEN NULL ELSE 0 END, 'bench'
     FROM (${samples}) s CROSS JOIN (VALUES ('mesh'), ('gateway')) a(area)`,
    [id],
  );
  await c.query(
    `INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by)
     SELECT $1, a.area, 'team-' || k, s.resolution, s.bucket, (s.g + k) % 4, (s.g + 2 * k) % 3, 'bench'
     FROM (${samples}) s
     CROSS JOIN (VALUES ('mesh', $2::int), ('gateway', $3::int)) a(area, n)
     CROSS JOIN generate_series(1, ${Math.max(MESH_NS, GATEWAY_NS)}) k
     WHERE k <= a.n AND s.g % 97 <> 5 AND ((s.g + k) % 4 > 0 OR (s.g + 2 * k) % 3 > 0)`,
    [id, MESH_NS, GATEWAY_NS],
  );
  // Audit outcome rows of changes over 30 days (what the change, action and actor charts count).
  await c.query(
    `INSERT INTO audit_events (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, environment, namespace, prev_hash, hash)
     SELECT nextval('audit_events_id_seq'), now() - (g * interval '30 days' / $2::int), md5(g::text || $1), 'outcome',
            (ARRAY['succeeded','succeeded','succeeded','succeeded','failed','denied'])[1 + g % 6],
            (ARRAY['config.publish','config.gray.create','mesh.policy.apply','gateway.route.apply','config.rollback','service.instance.update'])[1 + g % 6],
            'u' || (g % 25), 'user-' || (g % 25), 'local', '["operator"]'::jsonb, $1, 'public', 'bench', 'bench'
     FROM generate_series(1, $2::int) g`,
    [`bench-${e}`, CHANGES_PER_DAY * 30],
  );
}

/** The script files a page's HTML names, fetched as the browser would; raw and gzip bytes. */
async function firstLoadJs(url: string, page: string, cookie: string): Promise<{ files: number; raw: number; gzip: number }> {
  const res = await fetch(`${url}${page}`, { headers: { cookie } });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&")))];
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: srcs.length, raw, gzip };
}

async function main() {
  let pg: PostgresFixture | undefined;
  let server: ConsoleServer | undefined;
  let direct: Client | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-overview-"));
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await direct?.end().catch(() => undefined);
      await server?.stop();
      await pg?.drop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  cleanupOnExit(cleanup);
  try {
    pg = await freshPostgres("benchov");
    const ids: string[] = [];
    const t0 = performance.now();
    await pg.asOwner(async (c) => {
      for (let e = 0; e < ENVS; e++) {
        const id = randomUUID();
        ids.push(id);
        await seed(c, id, e);
      }
      await c.query("ANALYZE");
    });
    const counted = await pg.asAdmin(
      async (c) =>
        (await c.query(`SELECT (SELECT count(*) FROM overview_samples)::int AS s, (SELECT count(*) FROM overview_validation_samples)::int AS v, (SELECT count(*) FROM audit_events)::int AS a`))
          .rows[0] as { s: number; v: number; a: number },
    );
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const password = `bench-${randomBytes(9).toString("base64url")}-overview`;
    server = await startConsole({
      NODE_ENV: "production",
      DATABASE_URL: pg.appUrl,
      DATABASE_MIGRATION_URL: pg.migrationUrl,
      SWITCHYARD_SECRET: testSecret(),
      SWITCHYARD_ENCRYPTION_KEY: testSecret(),
      SWITCHYARD_ADMIN_PASSWORD: password,
      SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
      SWITCHYARD_DATA_DIR: dataDir,
      // The seeded rows are the samples; no sampler may add or downsample during the run.
      SWITCHYARD_OVERVIEW_SAMPLER: "off",
    });
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password, source: "local" }) });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;

    direct = new Client({ connectionString: pg.appUrl });
    await direct.connect();
    const cases = [
      { name: "environment 24h", query: "environment=bench-0&range=24h", scope: [ids[0]!], envs: 1, step: "3600 seconds", since: "24 hours" },
      { name: "environment 7d", query: "environment=bench-0&range=7d", scope: [ids[0]!], envs: 1, step: "86400 seconds", since: "7 days" },
      { name: "site 24h", query: "site=bench&range=24h", scope: ids, envs: ENVS, step: "3600 seconds", since: "24 hours" },
      { name: "site 7d", query: "site=bench&range=7d", scope: ids, envs: ENVS, step: "86400 seconds", since: "7 days" },
    ];
    console.log(
      `overview bench: ${ENVS} environments, ${SERVICES} services, 30 days: ${counted.s} registry sample rows, ${counted.v} validation sample rows, ${counted.a} audit rows; ` +
        `${REQUESTS} requests per row, sequential (machine: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)})`,
    );
    console.log("row               console GET /api/v1/overview p50  p95 | direct SQL p50  p95    | p95 ratio | target p95 ≤ 150 ms");
    for (const k of cases) {
      const mine: number[] = [];
      const base: number[] = [];
      const viaConsole = async () => {
        const t = performance.now();
        const res = await fetch(`${server!.url}/api/v1/overview?${k.query}`, { headers: { cookie } });
        const body = (await res.json()) as { validation?: { now: unknown[] }; instances?: { history: unknown[] } };
        if (res.status !== 200 || body.validation?.now.length !== k.envs || body.instances?.history.length !== k.envs) throw new Error(`console answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        return performance.now() - t;
      };
      const viaSql = async () => {
        const t = performance.now();
        await direct!.query(
          `WITH reg AS (
             SELECT date_bin($2::interval, bucket, TIMESTAMPTZ '2000-01-01') AS t, environment_id, 'registry' AS area, round(avg(instances)) AS a, round(avg(unhealthy)) AS b
             FROM overview_samples WHERE environment_id = ANY($1::text[]) AND bucket >= now() - $3::interval GROUP BY 1, 2
           ), val AS (
             SELECT date_bin($2::interval, bucket, TIMESTAMPTZ '2000-01-01') AS t, environment_id, area, max(errors) AS a, max(warnings) AS b
             FROM (SELECT bucket, environment_id, area, sum(errors) AS errors, sum(warnings) AS warnings FROM overview_validation_samples
                   WHERE environment_id = ANY($1::text[]) AND bucket >= now() - $3::interval GROUP BY 1, 2, 3) s
             GROUP BY 1, 2, 3
           )
           SELECT * FROM reg UNION ALL SELECT * FROM val ORDER BY 1`,
          [k.scope, k.step, k.since],
        );
        return performance.now() - t;
      };
      for (let i = 0; i < 5; i++) {
        await viaConsole();
        await viaSql();
      }
      for (let i = 0; i < REQUESTS; i++) {
        if (i % 2 === 0) {
          mine.push(await viaConsole());
          base.push(await viaSql());
        } else {
          base.push(await viaSql());
          mine.push(await viaConsole());
        }
      }
      const p95 = pct(mine, 95);
      console.log(
        `${k.name.padEnd(17)} ${" ".repeat(23)}${f(pct(mine, 50))} ${f(p95)} ms | ${f(pct(base, 50))} ${f(pct(base, 95))} ms | ${(p95 / pct(base, 95)).toFixed(1).padStart(6)}×   | ${p95 <= 150 ? "met" : "MISSED"}`,
      );
    }

    const ov = await firstLoadJs(server.url, "/overview?site=bench", cookie);
    const sv = await firstLoadJs(server.url, "/services", cookie);
    console.log("first-load JS (the script files each page's HTML names, fetched from the built console):");
    console.log(`  /overview  ${String(ov.files).padStart(3)} files, ${kb(ov.raw)} raw, ${kb(ov.gzip)} gzip`);
    console.log(`  /services  ${String(sv.files).padStart(3)} files, ${kb(sv.raw)} raw, ${kb(sv.gzip)} gzip`);
    console.log(`  ratio overview / services (gzip): ${(ov.gzip / sv.gzip).toFixed(2)}×`);
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
