/**
 * /metrics (issue #17 item 4), scraped by the stack's real Prometheus (scripts/stack/prometheus.sh,
 * file_sd targets): the built console on PostgreSQL with SWITCHYARD_METRICS_PORT, driven through
 * sign-ins (local and LDAP against the stack's slapd), audited writes, Nacos calls (one
 * environment through a fault proxy that refuses) and a golden-signals read from the stack's
 * Prometheus, then each family is read back with PromQL — HTTP duration by route template and
 * status, upstream duration and errors by system (nacos, ldap, prometheus) and environment,
 * audit append latency, the database
 * pool, sign-in outcomes and background job runs.
 *
 * Privacy (docs/security.md §44): the console's own port has no /metrics;
 * a console without SWITCHYARD_METRICS_PORT opens no metrics port; with SWITCHYARD_METRICS_TOKEN
 * a scrape without the token is 401.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const ROOT = path.resolve(__dirname, "../..");
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const TOKEN = randomBytes(24).toString("base64url");
const RUN = randomUUID().slice(0, 8);
const DATA_DIR = `.stack/metrics-${RUN}`;
const EXPORTER = `switchyard-metrics-${RUN}`;
const ENV_OK = `metrics-ok-${RUN}`;
const ENV_DOWN = `metrics-down-${RUN}`;
const ENV_PROM = `metrics-prom-${RUN}`;

let pg: PostgresFixture;
let server: ConsoleServer;
let metricsUrl = "";
let nacosDown: FaultProxy;
let targetFile = "";
let cookie = "";

function metricsUrlOf(s: ConsoleServer): string {
  const m = /"msg":"metrics listening","url":"(http:\/\/[^"]+)"/.exec(s.output());
  if (!m) throw new Error(`no "metrics listening" line in the console's output:\n${s.output().slice(-2000)}`);
  return m[1]!;
}

async function call(method: string, p: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${p}`, {
    method,
    headers: { origin: server.url, cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One PromQL instant query against the stack's Prometheus: the value of the single series, or null. */
async function promValue(query: string): Promise<number | null> {
  const u = new URL("/api/v1/query", peerEnv("prometheus", "PROMETHEUS_URL"));
  u.searchParams.set("query", query);
  const r = (await (await fetch(u)).json()) as { status: string; data: { result: Array<{ value: [number, string] }> } };
  expect(r.status).toBe("success");
  return r.data.result.length ? Number(r.data.result[0]!.value[1]) : null;
}

beforeAll(async () => {
  pg = await freshPostgres("metrics");
  const nacosUrl = new URL(peerEnv("nacos", "NACOS_URL"));
  nacosDown = await startFaultProxy({ host: nacosUrl.hostname, port: Number(nacosUrl.port) }, "pass");
  server = await startConsole({
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    DATABASE_MIGRATION_URL: pg.migrationUrl,
    SWITCHYARD_SECRET: testSecret(),
    SWITCHYARD_ENCRYPTION_KEY: testSecret(),
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: DATA_DIR,
    SWITCHYARD_METRICS_PORT: "0",
    SWITCHYARD_AUDIT_RECONCILE_MINUTES: "0.02",
    SWITCHYARD_LDAP_URL: peerEnv("ldap", "LDAP_URL"),
    SWITCHYARD_LDAP_CA_FILE: peerEnv("ldap", "LDAP_CA"),
    SWITCHYARD_LDAP_BIND_DN: peerEnv("ldap", "LDAP_BIND_DN"),
    SWITCHYARD_LDAP_BIND_PASSWORD: peerEnv("ldap", "LDAP_BIND_PASSWORD"),
    SWITCHYARD_LDAP_USER_BASE: peerEnv("ldap", "LDAP_USER_BASE"),
    SWITCHYARD_LDAP_GROUP_BASE: peerEnv("ldap", "LDAP_GROUP_BASE"),
  });
  metricsUrl = metricsUrlOf(server);

  // Traffic: a refused and an accepted sign-in, three audited writes, Nacos reads that work and
  // Nacos reads that fail.
  const refused = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url }, body: JSON.stringify({ username: "admin", password: "wrong", source: "local" }) });
  expect(refused.status).toBe(401);
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url }, body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }) });
  expect(signIn.status).toBe(200);
  cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  for (const theme of ["dark", "light", "dark"]) expect((await call("PATCH", "/api/v1/me/preferences", { theme })).status).toBe(200);
  const registry = (url: string) => ({ kind: "nacos", url, username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [""] });
  for (const [name, url] of [
    [ENV_OK, nacosUrl.toString()],
    [ENV_DOWN, `http://127.0.0.1:${nacosDown.port}${nacosUrl.pathname}`],
  ] as const) {
    const r = await call("POST", "/api/v1/environments", { name, labels: { tier: "dev" }, registry: registry(url) });
    expect(r.status, await r.text()).toBe(201);
  }
  expect((await call("GET", `/api/v1/environments/${ENV_OK}/services`)).status).toBe(200);
  nacosDown.mode = "refuse";
  expect((await call("GET", `/api/v1/environments/${ENV_DOWN}/services`)).status).toBe(502);
  // With a directory configured, the sign-in page offers it.
  const sources = await fetch(`${server.url}/api/v1/auth/sources`);
  expect(await sources.json()).toEqual({ sources: ["ldap", "local"] });
  // A real LDAP sign-in (service bind, user search, user bind, group search) and a real
  // Prometheus query (the environment's golden signals).
  const ldapSignIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url }, body: JSON.stringify({ username: "alice", password: peerEnv("ldap", "LDAP_PASSWORD_ALICE"), source: "ldap" }) });
  expect(ldapSignIn.status, await ldapSignIn.clone().text()).toBe(200);
  const prom = await call("POST", "/api/v1/environments", { name: ENV_PROM, labels: { tier: "dev" }, prometheusUrl: peerEnv("prometheus", "PROMETHEUS_URL") });
  expect(prom.status, await prom.text()).toBe(201);
  const signals = await call("GET", `/api/v1/environments/${ENV_PROM}/signals?range=1h`);
  expect(signals.status, await signals.clone().text()).toBe(200);
  expect(((await signals.json()) as { configured: boolean }).configured).toBe(true);

  // Announce the metrics port to the stack's Prometheus (file_sd, scraped every second).
  targetFile = path.join(peerEnv("prometheus", "PROMETHEUS_TARGETS"), `${EXPORTER}.json`);
  fs.writeFileSync(`${targetFile}.tmp`, JSON.stringify([{ targets: [new URL(metricsUrl).host], labels: { exporter: EXPORTER } }]));
  fs.renameSync(`${targetFile}.tmp`, targetFile);
});

afterAll(async () => {
  if (targetFile) fs.rmSync(targetFile, { force: true });
  await server?.stop();
  await nacosDown?.close();
  await pg?.drop();
  fs.rmSync(path.join(ROOT, DATA_DIR), { recursive: true, force: true });
});

describe("metrics", () => {
  it("Prometheus scrapes every family with bounded labels", async () => {
    const sel = `exporter="${EXPORTER}"`;
    // Wait for a scrape that already holds the background job's run.
    const t0 = Date.now();
    while ((await promValue(`switchyard_job_runs_total{${sel},name="audit-reconcile",outcome="ok"}`)) === null) {
      if (Date.now() - t0 > 60_000) {
        const targets = await fetch(new URL("/api/v1/targets", peerEnv("prometheus", "PROMETHEUS_URL"))).then((r) => r.text());
        const direct = await fetch(metricsUrl).then((r) => r.text(), (e: Error) => e.message);
        throw new Error(`Prometheus did not scrape ${metricsUrl} within 60 s (target file ${targetFile})\ntargets: ${targets.slice(0, 1500)}\ndirect: ${direct.split("\n").filter((l) => /^switchyard_(?!process|nodejs)/.test(l) && !l.includes("_bucket")).join("\n").slice(0, 3000)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const checks: Array<[string, (v: number | null) => boolean]> = [
      [`up{${sel}}`, (v) => v === 1],
      [`switchyard_http_request_duration_seconds_count{${sel},method="PATCH",route="/api/v1/me/preferences",status="200"}`, (v) => v === 3],
      [`switchyard_http_request_duration_seconds_count{${sel},method="GET",route="/api/v1/environments/[name]/services",status="200"}`, (v) => v === 1],
      [`switchyard_http_request_duration_seconds_count{${sel},method="GET",route="/api/v1/environments/[name]/services",status="502"}`, (v) => v === 1],
      [`count(switchyard_http_request_duration_seconds_count{${sel},route=~".*${RUN}.*"})`, (v) => v === null],
      [`switchyard_upstream_request_duration_seconds_count{${sel},system="nacos",environment="${ENV_OK}",outcome="ok"} > 0`, (v) => v !== null],
      [`switchyard_upstream_errors_total{${sel},system="nacos",environment="${ENV_DOWN}"} > 0`, (v) => v !== null],
      [`switchyard_upstream_errors_total{${sel},system="nacos",environment="${ENV_OK}"}`, (v) => v === null],
      [`switchyard_upstream_request_duration_seconds_count{${sel},system="ldap",environment="",outcome="ok"} >= 4`, (v) => v !== null],
      [`switchyard_upstream_errors_total{${sel},system="ldap"}`, (v) => v === null],
      [`switchyard_upstream_request_duration_seconds_count{${sel},system="prometheus",environment="${ENV_PROM}",outcome="ok"} > 0`, (v) => v !== null],
      [`switchyard_upstream_errors_total{${sel},system="prometheus"}`, (v) => v === null],
      [`switchyard_sign_ins_total{${sel},source="ldap",outcome="succeeded"}`, (v) => v === 1],
      [`switchyard_audit_append_duration_seconds_count{${sel},outcome="ok"} > 0`, (v) => v !== null],
      [`switchyard_audit_rows_appended_total{${sel}} > 0`, (v) => v !== null],
      [`switchyard_audit_append_queue_depth{${sel}}`, (v) => v === 0],
      [`switchyard_db_pool_connections{${sel},state="total"} > 0`, (v) => v !== null],
      [`switchyard_sign_ins_total{${sel},source="local",outcome="succeeded"}`, (v) => v === 1],
      [`switchyard_sign_ins_total{${sel},source="local",outcome="refused"}`, (v) => v === 1],
      [`switchyard_job_runs_total{${sel},name="audit-reconcile",outcome="ok"} > 0`, (v) => v !== null],
      [`switchyard_process_resident_memory_bytes{${sel}} > 0`, (v) => v !== null],
    ];
    const wrong: string[] = [];
    for (const [q, ok] of checks) {
      const v = await promValue(q);
      if (!ok(v)) wrong.push(`${q} → ${v}`);
    }
    expect(wrong, "PromQL queries with an unexpected answer").toEqual([]);
    console.log(`[metrics] Prometheus (${peerEnv("prometheus", "PROMETHEUS_URL")}) scraped ${metricsUrl}: ${checks.length} PromQL checks passed`);
  });

  it("is not public: not on the console's port, no port unless configured, bearer token when set", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace(/\/metrics$/, "/other"))).status).toBe(404);
    const [plain, withToken] = await Promise.all([
      startConsole({ SWITCHYARD_DATA_DIR: `${DATA_DIR}-plain`, SWITCHYARD_SECRET: testSecret() }),
      startConsole({ SWITCHYARD_DATA_DIR: `${DATA_DIR}-token`, SWITCHYARD_SECRET: testSecret(), SWITCHYARD_METRICS_PORT: "0", SWITCHYARD_METRICS_TOKEN: TOKEN }),
    ]);
    try {
      expect(plain.output()).not.toContain("metrics listening");
      const url = metricsUrlOf(withToken);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toContain("text/plain");
      expect(await ok.text()).toContain("# TYPE switchyard_http_request_duration_seconds histogram");
    } finally {
      await plain.stop();
      await withToken.stop();
      for (const d of [`${DATA_DIR}-plain`, `${DATA_DIR}-token`]) fs.rmSync(path.join(ROOT, d), { recursive: true, force: true });
    }
  });
});
