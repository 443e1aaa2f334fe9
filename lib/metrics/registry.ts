/**
 * Prometheus metrics (prom-client), one registry per process. The custom server
 * (scripts/server.mts) serves it on its own port, and the route handlers Next.js bundles
 * record into it: the registry lives on globalThis under a registered symbol and prom-client
 * is a server-external package (next.config.ts), so both see the same metric objects.
 *
 * Labels are bounded: routes are templates (`/api/v1/environments/[name]`), never raw paths;
 * systems and environments are the configured ones. No label carries a user name, a token or
 * request data (docs/security.md §44).
 *
 * Standalone on purpose (no path aliases): scripts/server.mts runs it with Node's type stripping.
 */
import client from "prom-client";

const KEY = Symbol.for("switchyard.metrics");

/** Connection counts of a database pool (node-postgres: totalCount, idleCount, waitingCount). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "switchyard_" });
  const registers = [registry];
  let pool: (() => PoolStats | undefined) | undefined;
  let auditQueue: (() => number) | undefined;
  let inFlight: (() => number) | undefined;
  const m = {
    registry,
    http: new client.Histogram({
      name: "switchyard_http_request_duration_seconds",
      help: "API request duration by method, route template and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: SECONDS,
      registers,
    }),
    upstream: new client.Histogram({
      name: "switchyard_upstream_request_duration_seconds",
      help: "Calls to Nacos, ZooKeeper, Kubernetes, LDAP and Prometheus by system, environment and outcome (ok | error)",
      labelNames: ["system", "environment", "outcome"] as const,
      buckets: SECONDS,
      registers,
    }),
    upstreamErrors: new client.Counter({
      name: "switchyard_upstream_errors_total",
      help: "Upstream calls that failed (network error, timeout or a 5xx answer) by system and environment",
      labelNames: ["system", "environment"] as const,
      registers,
    }),
    auditAppend: new client.Histogram({
      name: "switchyard_audit_append_duration_seconds",
      help: "Time to commit a batch of audit rows (group commit), from the lock to the commit",
      labelNames: ["outcome"] as const,
      buckets: SECONDS,
      registers,
    }),
    auditRows: new client.Counter({
      name: "switchyard_audit_rows_appended_total",
      help: "Audit rows committed",
      registers,
    }),
    signIns: new client.Counter({
      name: "switchyard_sign_ins_total",
      help: "Sign-in attempts by account source and outcome (succeeded | refused)",
      labelNames: ["source", "outcome"] as const,
      registers,
    }),
    jobRuns: new client.Counter({
      name: "switchyard_job_runs_total",
      // `name`, not `job`: Prometheus reserves `job` for the scrape job.
      help: "Background job runs on this replica by job name and outcome (ok | error | skipped)",
      labelNames: ["name", "outcome"] as const,
      registers,
    }),
    setPool(fn: () => PoolStats | undefined) {
      pool = fn;
    },
    setAuditQueue(fn: () => number) {
      auditQueue = fn;
    },
    setInFlight(fn: () => number) {
      inFlight = fn;
    },
  };
  new client.Gauge({
    name: "switchyard_db_pool_connections",
    help: "Database pool connections by state (total | idle | waiting clients); absent on embedded PGlite",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const s = pool?.();
      this.reset();
      if (!s) return;
      this.set({ state: "total" }, s.total);
      this.set({ state: "idle" }, s.idle);
      this.set({ state: "waiting" }, s.waiting);
    },
  });
  new client.Gauge({
    name: "switchyard_audit_append_queue_depth",
    help: "Audit rows waiting for the next group commit",
    registers,
    collect() {
      this.set(auditQueue?.() ?? 0);
    },
  });
  new client.Gauge({
    name: "switchyard_http_requests_in_flight",
    help: "Requests received and not yet answered (pages and API)",
    registers,
    collect() {
      this.set(inFlight?.() ?? 0);
    },
  });
  return m;
}

export type Metrics = ReturnType<typeof create>;

export function metrics(): Metrics {
  const g = globalThis as unknown as Record<symbol, Metrics | undefined>;
  return (g[KEY] ??= create());
}

export function observeHttp(method: string, route: string, status: number, seconds: number): void {
  metrics().http.observe({ method, route, status: String(status) }, seconds);
}

/** One upstream call: `ok` false for a network error, a timeout or a 5xx answer. */
export function observeUpstream(system: string, environment: string | undefined, startedMs: number, ok: boolean): void {
  const m = metrics();
  const env = environment ?? "";
  m.upstream.observe({ system, environment: env, outcome: ok ? "ok" : "error" }, (performance.now() - startedMs) / 1000);
  if (!ok) m.upstreamErrors.inc({ system, environment: env });
}

export function observeAuditAppend(startedMs: number, rows: number, ok: boolean): void {
  const m = metrics();
  m.auditAppend.observe({ outcome: ok ? "ok" : "error" }, (performance.now() - startedMs) / 1000);
  if (ok) m.auditRows.inc(rows);
}

export function countSignIn(source: string, succeeded: boolean): void {
  metrics().signIns.inc({ source, outcome: succeeded ? "succeeded" : "refused" });
}

export function countJobRun(job: string, outcome: "ok" | "error" | "skipped"): void {
  metrics().jobRuns.inc({ name: job, outcome });
}

/** The text exposition (Prometheus format 0.0.4) and its content type. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
