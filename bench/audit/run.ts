/**
 * Audit benchmark — prints figures, never a pass/fail test (issue #9: measured on the path
 * users take, against the direct backend call, in the same run).
 *
 * Where: a THROW-AWAY PostgreSQL cluster with production durability (fsync, synchronous_commit
 * and full_page_writes on; bench/audit/cluster.ts), started with the binaries the test stack
 * uses (PG_BIN of scripts/stack/postgres.sh) in a temporary directory on a free 127.0.0.1 port,
 * stopped and removed at the end — never the stack's cluster, which runs with all three off.
 * The database is made like every test database (lib/testing/db.ts): migrated by the owner
 * role, used through the non-owner app role.
 *
 *   1. inserts — path: lib/audit/record appendAuditEvent, the call every console request makes
 *      (group commit, advisory lock, SHA-256 chain), in this process, W concurrent callers,
 *      pool of 10 connections (the console's default). Baseline: a plain INSERT of the same row
 *      (no lock, no chain, its own transaction) into bench_plain_events — created LIKE
 *      audit_events (same columns, constraints, indexes, monthly range partitions) — with the
 *      same W callers on a pool of 10. Each writer count is run on both, alternating in chunks.
 *   2. export — path: HTTP → the built console (node scripts/server.mts, NODE_ENV=production,
 *      signed in over HTTP as the bootstrap admin) GET /api/v1/audit/export?format=jsonl with a
 *      time range holding exactly --export bulk rows. Baseline: the query the console runs
 *      (lib/audit/query.ts auditBatchAfter: same WHERE, id > last ORDER BY id LIMIT 1000), by
 *      hand through pg, each row written as the same JSON line. The row count is given exactly
 *      (manifest, lines, direct, SELECT count(*)) and the row bytes compared by SHA-256.
 *   3. filtered first pages — path: HTTP GET /api/v1/audit?…&limit=50. Baseline: the same
 *      SELECT (lib/audit/query.ts listAuditEvents) by hand through pg. Alternating per
 *      iteration; the ids of both answers compared.
 *   Bulk rows for 2 and 3 are loaded with generate_series (not chained: these measure reading).
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npm run bench:audit -- [--inserts 2000] [--writers 1,8,32]
 *     [--rows 1000000] [--export 500000] [--query-rounds 20] [--pg-parent /var/tmp]
 * Targets (issue): ≥ 2,000 events/s; 1M-row export ≤ 20 s and ≤ 256 MB RSS; p95 ≤ 100 ms.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Client, Pool } from "pg";
import { setProcessDatabase } from "@/lib/database";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { appendAuditEvent, type AuditEntry } from "@/lib/audit/record";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { filesystemOf, startBenchCluster, type BenchCluster } from "./cluster";
import { cleanupOnExit } from "../exit-cleanup";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const argText = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** Nearest-rank percentile. */
function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");
const n = (v: number) => v.toLocaleString("en-US");
const three = (xs: number[]) => [50, 95, 99].map((p) => f1(pct(xs, p))).join(" / ");

// The columns of audit_events in schema order (db/schema/audit.ts): the console selects them
// in this order and its JSON lines carry them under these keys, in this order.
const COLUMNS: Array<[string, string]> = [
  ["id", "id"],
  ["created_at", "createdAt"],
  ["request_id", "requestId"],
  ["phase", "phase"],
  ["outcome", "outcome"],
  ["action", "action"],
  ["actor_id", "actorId"],
  ["actor_name", "actorName"],
  ["actor_source", "actorSource"],
  ["actor_roles", "actorRoles"],
  ["token_id", "tokenId"],
  ["environment", "environment"],
  ["namespace", "namespace"],
  ["target_kind", "targetKind"],
  ["target_name", "targetName"],
  ["version_before", "versionBefore"],
  ["version_after", "versionAfter"],
  ["before", "before"],
  ["after", "after"],
  ["detail", "detail"],
  ["client_ip", "clientIp"],
  ["user_agent", "userAgent"],
  ["prev_hash", "prevHash"],
  ["hash", "hash"],
];
const SELECT_LIST = COLUMNS.map(([c, k]) => `"${c}" AS "${k}"`).join(", ");

type Filter = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  environment?: string;
  namespace?: string;
  targetKind?: string;
  targetName?: string;
};

/** The WHERE of lib/audit/query.ts auditConditions for an actor who sees the whole log, by hand. */
function whereOf(f: Filter, params: unknown[]): string[] {
  const c: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.from) c.push(`created_at >= ${p(new Date(f.from).toISOString())}`);
  if (f.to) c.push(`created_at <= ${p(new Date(f.to).toISOString())}`);
  if (f.actor) {
    const a = p(f.actor);
    c.push(`(actor_name = ${a} OR actor_id = ${a})`);
  }
  if (f.action) {
    const prefix = f.action.endsWith(".*") ? f.action.slice(0, -1) : null;
    const matching = prefix ? AUDIT_ACTIONS.filter((a) => a.startsWith(prefix)) : [f.action];
    c.push(matching.length ? `action IN (${matching.map(p).join(", ")})` : "false");
  }
  if (f.outcome === "intent") c.push(`phase = 'intent'`);
  else if (f.outcome) c.push(`outcome = ${p(f.outcome)}`);
  if (f.environment) c.push(`environment = ${p(f.environment)}`);
  if (f.namespace) c.push(`namespace = ${p(f.namespace)}`);
  if (f.targetKind) c.push(`target_kind = ${p(f.targetKind)}`);
  if (f.targetName) c.push(`target_name = ${p(f.targetName)}`);
  return c;
}

/** A row from pg as the console's JSON line (lib/audit/query.ts toView). */
function lineOf(r: Record<string, unknown>): string {
  return JSON.stringify({ ...r, id: Number(r.id), createdAt: (r.createdAt as Date).toISOString() }) + "\n";
}

/** Resident set of a process now (kB → bytes); 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The console server this process started (a child running scripts/server.mts). */
function consolePid(): number | null {
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, "utf8");
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
      if (fs.readFileSync(`/proc/${d}/cmdline`, "utf8").includes("server.mts")) return Number(d);
    } catch {
      // gone
    }
  }
  return null;
}

const entry = (): AuditEntry => ({
  requestId: randomUUID(),
  phase: "outcome",
  outcome: "succeeded",
  action: "config.publish",
  actor: { id: "bench", name: "bench", source: "local", roles: [{ role: "operator", env: "*", ns: "*", via: "user" }] },
  environment: "prod-hz-j",
  namespace: "public",
  targetKind: "config",
  targetName: "app.yaml",
  after: { md5: "x".repeat(32) },
  clientIp: "10.1.2.3",
  userAgent: "bench",
});

async function main(): Promise<void> {
  const inserts = arg("--inserts", 2_000);
  const writers = (argText("--writers") ?? "1,8,32").split(",").map(Number);
  const totalRows = arg("--rows", 1_000_000);
  const exportRows = Math.min(totalRows, arg("--export", 500_000));
  const queryRounds = arg("--query-rounds", 20);
  const pgParent = argText("--pg-parent");

  let cluster: BenchCluster | undefined;
  let pg: PostgresFixture | undefined;
  let server: ConsoleServer | undefined;
  let dataDir: string | undefined;
  let cleaned: Promise<void> | undefined;
  // Once, whichever comes first: the end of the run, Ctrl-C, or a closed stdout.
  const cleanup = () =>
    (cleaned ??= (async () => {
      await server?.stop().catch(() => undefined);
      await pg?.drop().catch(() => undefined);
      await cluster?.stop().catch((e: unknown) => console.error("stopping the throw-away cluster:", e));
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  cleanupOnExit(cleanup);
  try {
    cluster = await startBenchCluster({ parent: pgParent });
    Object.assign(process.env, cluster.env);
    pg = await freshPostgres("benchaudit");
    setProcessDatabase(pg.handle);

    const settings = await pg.asAdmin(async (c) => {
      const out: Record<string, string> = {};
      for (const s of ["server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "wal_level", "commit_delay", "shared_buffers", "max_wal_size"]) {
        out[s] = (await c.query<{ v: string }>(`SELECT current_setting('${s}') AS v`)).rows[0]!.v;
      }
      return out;
    });
    console.log(`bench:audit — on a throw-away PostgreSQL ${settings.server_version} cluster (${cluster.binDir}, PG_BIN of scripts/stack/postgres.sh), data in ${cluster.dataDir} on ${filesystemOf(cluster.dataDir)}, 127.0.0.1:${cluster.port}; stopped and removed at the end`);
    console.log(`  settings (SHOW): fsync=${settings.fsync} synchronous_commit=${settings.synchronous_commit} full_page_writes=${settings.full_page_writes} wal_sync_method=${settings.wal_sync_method} · wal_level=${settings.wal_level} commit_delay=${settings.commit_delay} shared_buffers=${settings.shared_buffers} max_wal_size=${settings.max_wal_size}`);
    console.log(`  database ${pg.name}: migrated by switchyard_owner, used as switchyard_app (the production grants); machine: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);

    // ---------------------------------------------------------------------------------------
    // 1. Inserts: chained (the console's path) vs plain INSERT into the same table shape.
    await pg.asOwner(async (c) => {
      await c.query("CREATE SEQUENCE bench_plain_events_id_seq AS bigint");
      await c.query("CREATE TABLE bench_plain_events (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES) PARTITION BY RANGE (created_at)");
      const parts = (await c.query<{ expr: string }>("SELECT pg_get_expr(c.relpartbound, c.oid) AS expr FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass")).rows;
      for (const [k, p] of parts.entries()) await c.query(`CREATE TABLE bench_plain_events_p${k} PARTITION OF bench_plain_events ${p.expr}`);
      const role = new URL(pg!.appUrl).username;
      await c.query(`GRANT SELECT, INSERT ON bench_plain_events TO ${role}`);
      await c.query(`GRANT USAGE ON SEQUENCE bench_plain_events_id_seq TO ${role}`);
    });
    const shape = await pg.asAdmin(async (c) => {
      const q = async (t: string) => (await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = $1`, [t])).rows[0]!.n;
      const parts = async (t: string) => (await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_inherits WHERE inhparent = $1::regclass`, [t])).rows[0]!.n;
      return `indexes ${await q("audit_events")}/${await q("bench_plain_events")}, partitions ${await parts("audit_events")}/${await parts("bench_plain_events")}`;
    });
    const plainPool = new Pool({ connectionString: pg.appUrl, max: 10 });
    plainPool.on("error", () => undefined); // an idle connection ended by the cleanup
    const plainInsert = async () => {
      const e = entry();
      await plainPool.query(
        `INSERT INTO bench_plain_events (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, environment, namespace, target_kind, target_name, after, client_ip, user_agent, prev_hash, hash)
         VALUES (nextval('bench_plain_events_id_seq'), clock_timestamp(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '', '')`,
        [e.requestId, e.phase, e.outcome, e.action, e.actor.id, e.actor.name, e.actor.source, JSON.stringify(e.actor.roles), e.environment, e.namespace, e.targetKind, e.targetName, JSON.stringify(e.after), e.clientIp, e.userAgent],
      );
    };
    const chainedInsert = async () => void (await appendAuditEvent(pg!.handle.db, entry()));
    const runWriters = async (w: number, count: number, one: () => Promise<void>) => {
      let next = 0;
      const lat: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: w }, async () => {
          while (next++ < count) {
            const t = performance.now();
            await one();
            lat.push(performance.now() - t);
          }
        }),
      );
      return { seconds: (performance.now() - t0) / 1000, lat };
    };
    // Warm-up (not counted): connections, the partition cache, JIT.
    await runWriters(4, 200, chainedInsert);
    await runWriters(4, 200, plainInsert);

    console.log("");
    const CHUNKS = 4;
    console.log(`inserts — ${n(inserts)} rows per writer count and path, each call returns when its row has committed; chained and plain alternate in ${CHUNKS} chunks each`);
    console.log(`  path: appendAuditEvent (lib/audit/record.ts: group commit, advisory lock, SHA-256 chain), pool 10 · baseline: plain INSERT, same row, into bench_plain_events (LIKE audit_events; ${shape} audit/plain; no chain, no lock), pool 10`);
    console.log(["  writers", "chained rows/s".padStart(15), "plain rows/s".padStart(13), "plain/chained".padStart(14), "chained call p50/p95/p99 ms".padStart(28), "plain call p50/p95/p99 ms".padStart(26)].join("  "));
    let chainedAt32 = NaN;
    for (const w of writers) {
      const res = { chained: { seconds: 0, lat: [] as number[], perSec: 0 }, plain: { seconds: 0, lat: [] as number[], perSec: 0 } };
      for (let chunk = 0; chunk < CHUNKS; chunk++) {
        const count = Math.floor(inserts / CHUNKS) + (chunk < inserts % CHUNKS ? 1 : 0);
        for (const o of chunk % 2 === 0 ? (["chained", "plain"] as const) : (["plain", "chained"] as const)) {
          const r = await runWriters(w, count, o === "chained" ? chainedInsert : plainInsert);
          res[o].seconds += r.seconds;
          res[o].lat.push(...r.lat);
        }
      }
      const c = { ...res.chained, perSec: inserts / res.chained.seconds };
      const p = { ...res.plain, perSec: inserts / res.plain.seconds };
      if (w === 32) chainedAt32 = c.perSec;
      console.log([String(w).padStart(9), f1(c.perSec).padStart(15), f1(p.perSec).padStart(13), f2(p.perSec / c.perSec).padStart(14), three(c.lat).padStart(28), three(p.lat).padStart(26)].join("  "));
    }
    await plainPool.end();
    if (Number.isFinite(chainedAt32)) console.log(`  target ≥ 2000 chained events/s (32 writers): ${chainedAt32 >= 2000 ? "ok" : "MISSED"} (${f1(chainedAt32)}/s)`);

    // ---------------------------------------------------------------------------------------
    // Bulk rows for export and queries: one year, ending an hour before now, so the rows the
    // run itself appends (sign-in, exports) fall outside the export's time range.
    const end = new Date(Date.now() - 3_600_000);
    end.setUTCMilliseconds(0);
    const stepMs = Math.max(1, Math.floor((365 * 86_400_000) / totalRows));
    const tb = performance.now();
    const bulkBase = await pg.asAdmin(async (c) => {
      for (let m = 0; m <= 13; m++) await c.query(`SELECT audit_ensure_partition($1::timestamptz - ($2 || ' month')::interval)`, [end.toISOString(), String(m)]);
      const base = Number((await c.query<{ v: string }>("SELECT nextval('audit_events_id_seq') AS v")).rows[0]!.v) + 1_000;
      const step = 250_000;
      for (let from = 1; from <= totalRows; from += step) {
        const to = Math.min(totalRows, from + step - 1);
        await c.query(
          `INSERT INTO audit_events (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, environment, namespace, target_kind, target_name, prev_hash, hash)
           SELECT $1::bigint + g, $2::timestamptz - (($3::bigint - g) * $4::bigint) * interval '1 millisecond', md5(g::text), 'outcome',
                  (ARRAY['succeeded','succeeded','succeeded','succeeded','succeeded','succeeded','failed','denied','conflict','unknown'])[1 + g % 10],
                  (ARRAY['config.publish','mesh.policy.write','service.instance.update','gateway.route.write','config.gray.start'])[1 + (g / 10) % 5],
                  'u' || (g % 500), 'user' || (g % 500), 'ldap', '[]', 'prod-' || (g % 8), 'ns-' || (g % 40), 'config', 'app-' || (g % 5000) || '.yaml', 'x', md5(g::text)
           FROM generate_series($5::bigint, $6::bigint) g`,
          [base, end.toISOString(), totalRows, stepMs, from, to],
        );
      }
      await c.query(`SELECT setval('audit_events_id_seq', $1::bigint + $2::bigint)`, [base, totalRows]);
      await c.query("ANALYZE audit_events");
      return base;
    });
    console.log("");
    console.log(`bulk load: ${n(totalRows)} rows (one every ${f1(stepMs / 1000)} s over a year, ids ${n(bulkBase + 1)}…${n(bulkBase + totalRows)}) in ${((performance.now() - tb) / 1000).toFixed(1)} s`);

    // ---------------------------------------------------------------------------------------
    // The console, as operators run it, on this database.
    const adminPassword = `bench-${randomBytes(12).toString("base64url")}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-audit-"));
    server = await startConsole({
      NODE_ENV: "production",
      DATABASE_URL: pg.appUrl,
      DATABASE_MIGRATION_URL: pg.migrationUrl,
      SWITCHYARD_SECRET: testSecret(),
      SWITCHYARD_ENCRYPTION_KEY: testSecret(),
      SWITCHYARD_ADMIN_PASSWORD: adminPassword,
      SWITCHYARD_DATA_DIR: dataDir,
    });
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: adminPassword, source: "local" }) });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    const pid = consolePid();
    const direct = new Client({ connectionString: pg.appUrl });
    direct.on("error", () => undefined);
    await direct.connect();
    const buildId = fs.readFileSync(".next/BUILD_ID", "utf8").trim();
    console.log("");
    console.log(`console: ${server.url} (built console, node scripts/server.mts, NODE_ENV=production, .next BUILD_ID ${buildId}, pid ${pid ?? "?"}), bootstrap admin signed in over HTTP · direct: one pg connection as switchyard_app`);

    // ---------------------------------------------------------------------------------------
    // 2. Export: exactly `exportRows` bulk rows, the newest ones.
    const firstRow = (await direct.query<{ created_at: Date }>(`SELECT created_at FROM audit_events WHERE id = $1`, [bulkBase + totalRows - exportRows + 1])).rows[0]!.created_at;
    const exportFilter: Filter = { from: firstRow.toISOString(), to: end.toISOString() };
    const countParams: unknown[] = [];
    const expected = Number((await direct.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE ${whereOf(exportFilter, countParams).join(" AND ")}`, countParams)).rows[0]!.n);

    const viaConsoleExport = async () => {
      const qs = new URLSearchParams({ format: "jsonl", from: exportFilter.from!, to: exportFilter.to! });
      const rss0 = pid ? rssOf(pid) : 0;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, pid ? rssOf(pid) : 0)), 50);
      const t0 = performance.now();
      const res = await fetch(`${server!.url}/api/v1/audit/export?${qs}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
      const hash = createHash("sha256");
      let bytes = 0;
      let lines = 0;
      let tail = Buffer.alloc(0);
      let ttfb = NaN;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
        bytes += value.length;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        // Hash every line but the last (the manifest): hold back the last complete line.
        const buf = tail.length ? Buffer.concat([tail, value]) : Buffer.from(value);
        const cut = buf.lastIndexOf(10, buf.length - 2);
        if (cut >= 0) {
          hash.update(buf.subarray(0, cut + 1));
          tail = buf.subarray(cut + 1);
        } else tail = buf;
      }
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const manifest = JSON.parse(tail.toString("utf8")) as { manifest: boolean; count: number };
      return { seconds, ttfb, bytes, rows: lines - 1, manifest, sha: hash.digest("hex"), rss0, peak };
    };
    const viaDirectExport = async () => {
      const t0 = performance.now();
      const hash = createHash("sha256");
      let after = 0;
      let rows = 0;
      let bytes = 0;
      let ttfb = NaN;
      for (;;) {
        const params: unknown[] = [];
        const where = whereOf(exportFilter, params);
        where.push(`id > $${params.push(after)}`);
        const r = await direct.query<Record<string, unknown>>(`SELECT ${SELECT_LIST} FROM audit_events WHERE ${where.join(" AND ")} ORDER BY id ASC LIMIT 1000`, params);
        if (r.rows.length === 0) break;
        let chunk = "";
        for (const row of r.rows) chunk += lineOf(row);
        const b = Buffer.from(chunk, "utf8");
        if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
        hash.update(b);
        bytes += b.length;
        rows += r.rows.length;
        after = Number(r.rows[r.rows.length - 1]!.id);
      }
      return { seconds: (performance.now() - t0) / 1000, ttfb, bytes, rows, sha: hash.digest("hex") };
    };
    // Console first, then direct (one run each: an export is long; both read the same, warm, table).
    const ce = await viaConsoleExport();
    const de = await viaDirectExport();
    console.log("");
    console.log(`export — JSON Lines of the newest ${n(exportRows)} bulk rows (from ${exportFilter.from} to ${exportFilter.to})`);
    console.log(`  path: HTTP GET /api/v1/audit/export?format=jsonl&from&to → lib/audit/export.ts (batches of 1,000) · baseline: the same batched SELECT by hand through pg, rows written as the same JSON lines`);
    console.log(
      `  exported rows: ${n(ce.manifest.count)} (manifest count) · ${n(ce.rows)} row lines received · ${n(de.rows)} direct · ${n(expected)} SELECT count(*) with the same filter — ${ce.manifest.count === expected && ce.rows === expected && de.rows === expected ? "all equal" : "MISMATCH"}`,
    );
    console.log(`  row bytes: console ${n(ce.bytes - Buffer.byteLength(JSON.stringify(ce.manifest)) - 1)} · direct ${n(de.bytes)} · SHA-256 of the rows ${ce.sha === de.sha ? "identical" : "DIFFERENT"}`);
    console.log(`  console ${f1(ce.seconds)} s (first byte ${f1(ce.ttfb)} ms, ${n(Math.round(ce.rows / ce.seconds))} rows/s) · direct ${f1(de.seconds)} s (first byte ${f1(de.ttfb)} ms, ${n(Math.round(de.rows / de.seconds))} rows/s) · ratio console/direct ${f2(ce.seconds / de.seconds)}`);
    console.log(`  console process RSS: ${f1(ce.rss0 / 1024 ** 2)} MB before, peak ${f1(ce.peak / 1024 ** 2)} MB during the export · targets (1M rows) ≤ 20 s, ≤ 256 MB${exportRows === 1_000_000 ? `: ${ce.seconds <= 20 ? "ok" : "MISSED"} / ${ce.peak <= 256 * 1024 ** 2 ? "ok" : "MISSED"}` : " (run with --export 1000000 to compare)"}`);

    // ---------------------------------------------------------------------------------------
    // 3. Filtered first pages, console and direct alternating.
    const filters: Filter[] = [
      { action: "config.publish" },
      { actor: "user42" },
      { environment: "prod-3", namespace: "ns-11" },
      { outcome: "denied", action: "mesh.*" },
      { targetKind: "config", targetName: "app-77.yaml" },
      { from: new Date(end.getTime() - 86_400_000).toISOString(), outcome: "failed" },
    ];
    const viaConsoleQuery = async (f: Filter) => {
      const qs = new URLSearchParams({ ...(f as Record<string, string>), limit: "50" });
      const t = performance.now();
      const res = await fetch(`${server!.url}/api/v1/audit?${qs}`, { headers: { cookie } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`audit query answered ${res.status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as { items: Array<{ id: number }> };
      return { ms: performance.now() - t, ids: body.items.map((i) => i.id) };
    };
    const viaDirectQuery = async (f: Filter) => {
      const params: unknown[] = [];
      const where = whereOf(f, params);
      const limit = `$${params.push(51)}`;
      const t = performance.now();
      const r = await direct.query<Record<string, unknown>>(`SELECT ${SELECT_LIST} FROM audit_events${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ${limit}`, params);
      const items = r.rows.slice(0, 50).map(lineOf); // the same work on the rows the console does (to its JSON)
      return { ms: performance.now() - t, ids: r.rows.slice(0, 50).map((x) => Number(x.id)), items };
    };
    for (const f of filters) {
      await viaConsoleQuery(f);
      await viaDirectQuery(f);
    }
    const perFilter = filters.map(() => ({ c: [] as number[], d: [] as number[] }));
    let equal = 0;
    let compared = 0;
    for (let round = 0; round < queryRounds; round++) {
      for (const [k, f] of filters.entries()) {
        const first = (round + k) % 2 === 0;
        const a = first ? await viaConsoleQuery(f) : undefined;
        const b = await viaDirectQuery(f);
        const c = a ?? (await viaConsoleQuery(f));
        perFilter[k]!.c.push(c.ms);
        perFilter[k]!.d.push(b.ms);
        compared++;
        if (c.ids.length === b.ids.length && c.ids.every((x, i) => x === b.ids[i])) equal++;
      }
    }
    const allC = perFilter.flatMap((x) => x.c);
    const allD = perFilter.flatMap((x) => x.d);
    const rowsNow = Number((await direct.query<{ n: string }>("SELECT count(*) AS n FROM audit_events")).rows[0]!.n);
    console.log("");
    console.log(`filtered first pages (limit 50) over ${n(rowsNow)} rows — ${queryRounds} rounds × ${filters.length} filters, console and direct alternating`);
    console.log(`  path: HTTP GET /api/v1/audit?…&limit=50 → lib/audit/query.ts listAuditEvents · baseline: the same SELECT … ORDER BY id DESC LIMIT 51 by hand through pg`);
    console.log(["  filter".padEnd(44), "console p50/p95/p99 ms".padStart(24), "direct p50/p95/p99 ms".padStart(22), "ratio p50/p95".padStart(14)].join("  "));
    for (const [k, f] of filters.entries()) {
      const x = perFilter[k]!;
      console.log(["  " + JSON.stringify(f).slice(0, 42).padEnd(42), three(x.c).padStart(24), three(x.d).padStart(22), `${f2(pct(x.c, 50) / pct(x.d, 50))} / ${f2(pct(x.c, 95) / pct(x.d, 95))}`.padStart(14)].join("  "));
    }
    const ct = allC.length / (sum(allC) / 1000);
    const dt = allD.length / (sum(allD) / 1000);
    console.log(["  all".padEnd(44), three(allC).padStart(24), three(allD).padStart(22), `${f2(pct(allC, 50) / pct(allD, 50))} / ${f2(pct(allC, 95) / pct(allD, 95))}`.padStart(14)].join("  "));
    console.log(`  throughput (one sequential client): console ${f1(ct)} req/s · direct ${f1(dt)} req/s · ratio ${f2(ct / dt)} · answers equal ${equal}/${compared} · target console p95 ≤ 100 ms: ${pct(allC, 95) <= 100 ? "ok" : "MISSED"}`);
    await direct.end();
  } catch (e) {
    if (server) console.error(`console output (tail):\n${server.output().slice(-3000)}`);
    if (cluster) console.error(`throw-away cluster log (tail):\n${cluster.log().slice(-2000)}`);
    throw e;
  } finally {
    const where = cluster?.dataDir;
    await cleanup();
    if (where) console.log(`\nthrow-away cluster stopped and ${path.dirname(where)} removed`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
