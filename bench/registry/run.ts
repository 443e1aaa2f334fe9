/**
 * Registry benchmark — prints figures, never a pass/fail test (issue #9: measured on the path
 * users take, against the direct backend call, in the same run).
 *
 * Path measured: an HTTP client → the BUILT console (`node scripts/server.mts`, NODE_ENV=
 * production, started by lib/testing/console-server.ts on a fresh PostgreSQL database of the
 * stack) → GET /api/v1/environments/{env}/services → the stack's real Nacos. The client signs
 * in over HTTP as the bootstrap admin (SWITCHYARD_ADMIN_PASSWORD) and registers the
 * environments over HTTP (SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true), as an operator would.
 *
 * Baseline: the same HTTP client (Node fetch, keep-alive) → Nacos' HTTP API directly,
 * GET /v3/admin/ns/service/list with an accessToken — the list query the console's Nacos
 * client sends (namespaceId, pageNo, pageSize, ignoreEmptyService=false). Both sides read the
 * whole body and JSON.parse it. Console and direct alternate per iteration (and which of the
 * two goes first alternates too), so both see the same Nacos, the same machine load.
 *
 * Rows:
 *   page      the plain page (pageSize 50): direct = the same page from Nacos.
 *   sorted    sort=-unhealthy (most unhealthy instances first), page 1.
 *   unhealthy unhealthy=true ("has unhealthy instances"), page 1.
 *   Nacos' list API can neither sort nor filter on health, so the direct baseline for sorted
 *   and unhealthy is what a client has to do to get the same answer: read the namespace's
 *   whole service list (with counts) and filter / sort it itself, with the console's
 *   comparator. By default in ONE call (pageSize = the namespace's service count: Nacos 3.1
 *   does not cap pageSize), the fewest calls possible; the console reads pages of 500
 *   (--direct-page-size 500 makes the client do the same; the header says what was used).
 *   Every console answer is compared with the direct one (same total, same service names in
 *   the same order) and the count of equal answers is printed.
 *   cold      the console's registry cache (2 s for a page, 5 s for the namespace snapshot that
 *             sort and filter use; lib/registry/services.ts) has lapsed for that request: the
 *             bench rotates over several environments registered on the same namespace (and,
 *             for pages, over page numbers) and waits when none has lapsed yet.
 *   warm      the same request repeated on one environment: mostly answered from that cache.
 *   Latency rows are one client, sequential; throughput is also measured with --concurrency
 *   clients in alternating time windows (console window, direct window, ...).
 *
 * Data: a dedicated Nacos namespace `bench-<stamp>` (never `public`) with S services × M
 * persistent instances on 127.0.0.1 (ports that do not listen), each service's DEFAULT
 * cluster set to health checker NONE so Nacos never probes them; exactly 10 % of all
 * instances (--unhealthy-percent) are registered unhealthy, chosen by a seeded shuffle.
 * Seeded with --seed-concurrency services in flight. A census read back from Nacos is printed
 * and is what the figures are over. The namespace is removed at the end unless --keep.
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npm run bench:registry -- [--services 10000] [--instances-per 2]
 *     [--unhealthy-percent 10] [--seed-concurrency 32] [--requests 200] [--full-requests 30]
 *     [--concurrency 8] [--window-seconds 2] [--windows 2] [--envs 8] [--direct-page-size N]
 *     [--keep] [--reuse bench-…] [--drop bench-…]
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { cleanupOnExit } from "../exit-cleanup";

// ---------------------------------------------------------------------------------------------
// Arguments and small helpers

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const argText = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string) => process.argv.includes(name);

/** Nearest-rank percentile. */
function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = (v: number) => v.toLocaleString("en-US");

/** Seeded PRNG (mulberry32): the unhealthy instances are the same for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ["orders", "payments", "catalog", "inventory", "shipping", "billing", "search", "profile", "checkout", "pricing", "reviews", "coupons", "ledger", "notify", "gateway", "auth"];
const serviceName = (i: number) => `${DOMAINS[i % DOMAINS.length]}-svc-${String(i).padStart(5, "0")}`;
const FIRST_PORT = 41_000;
const PAGE_SIZE = 50;
const GROUP = "DEFAULT_GROUP";
const MARKER = { dataId: "switchyard-bench-registry.json", groupName: "SWITCHYARD_BENCH" };
const MARKER_VERSION = 2;
// The console's cache lifetimes (lib/registry/services.ts CACHE_MS, SNAPSHOT_MS) plus a margin.
const PAGE_CACHE_MS = 2_000;
const SNAPSHOT_CACHE_MS = 5_000;
const CACHE_MARGIN_MS = 300;

interface Marker {
  version: number;
  services: number;
  instancesPerService: number;
  unhealthyPercent: number;
  seed: number;
  instances: number;
  unhealthy: number;
  complete: boolean;
  seedSeconds: number;
  createdAt: string;
}

interface ServiceItem {
  name: string;
  groupName: string;
  ipCount: number;
  healthyInstanceCount: number;
}
interface ServicePage {
  totalCount: number;
  pagesAvailable: number;
  pageItems: ServiceItem[];
}

// ---------------------------------------------------------------------------------------------
// Nacos' HTTP API, called directly (the baseline, the seeding, the census)

class NacosHttp {
  #token: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly username: string,
    readonly password: string,
  ) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/v3/auth/user/login`, { method: "POST", body: new URLSearchParams({ username: this.username, password: this.password }), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`nacos login: HTTP ${res.status}`);
    this.#token = ((await res.json()) as { accessToken: string }).accessToken;
  }

  /** One call; `allowCodes` are Nacos answer codes that are not errors here (e.g. not found). */
  async call<T>(method: "GET" | "POST" | "PUT" | "DELETE", p: string, params: Record<string, string>, allowCodes: number[] = []): Promise<{ code: number; data: T }> {
    if (!this.#token) await this.login();
    const q = new URLSearchParams(params);
    const inBody = method === "POST" || method === "PUT";
    const res = await fetch(inBody ? `${this.baseUrl}${p}` : `${this.baseUrl}${p}?${q}`, {
      method,
      headers: { accessToken: this.#token!, accept: "application/json" },
      body: inBody ? q : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let j: { code?: number; data?: T } | undefined;
    try {
      j = JSON.parse(text) as { code?: number; data?: T };
    } catch {
      j = undefined;
    }
    const code = j?.code ?? -1;
    if (code !== 0 && !allowCodes.includes(code) && !allowCodes.includes(res.status)) throw new Error(`nacos ${method} ${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return { code: code === -1 ? res.status : code, data: j?.data as T };
  }

  /** The list query the console's client sends (lib/nacos/client.ts listServices). */
  async listServices(namespace: string, page: number, pageSize: number): Promise<ServicePage> {
    return (await this.call<ServicePage>("GET", "/v3/admin/ns/service/list", { namespaceId: namespace, pageNo: String(page), pageSize: String(pageSize), ignoreEmptyService: "false" })).data;
  }

  /** Every service of the namespace, page by page, in order (what a client must read to sort or filter). */
  async allServices(namespace: string, pageSize: number): Promise<ServiceItem[]> {
    const first = await this.listServices(namespace, 1, pageSize);
    const all = [...first.pageItems];
    for (let p = 2; p <= first.pagesAvailable; p++) all.push(...(await this.listServices(namespace, p, pageSize)).pageItems);
    return all;
  }

  async getConfig(namespace: string): Promise<string | null> {
    const a = await this.call<{ content: string } | null>("GET", "/v3/admin/cs/config", { ...MARKER, namespaceId: namespace }, [20004, 404]);
    return a.code === 0 && a.data ? a.data.content : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding, census, drop

/** Runs task(i) for i in [0, count) with `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Exactly round(percent % of S × M) instances unhealthy, chosen by a seeded partial shuffle. */
function unhealthySet(total: number, percent: number, seed: number): Uint8Array {
  const want = Math.round((total * percent) / 100);
  const idx = Uint32Array.from({ length: total }, (_, i) => i);
  const rnd = prng(seed);
  for (let i = 0; i < want; i++) {
    const j = i + Math.floor(rnd() * (total - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < want; i++) out[idx[i]!] = 1;
  return out;
}

async function seed(nacos: NacosHttp, namespace: string, services: number, perService: number, percent: number, concurrency: number): Promise<Marker> {
  const seedValue = 0x5eed;
  const bad = unhealthySet(services * perService, percent, seedValue);
  await nacos.call("POST", "/v3/admin/core/namespace", { namespaceId: namespace, namespaceName: namespace, namespaceDesc: "switchyard bench:registry (safe to delete: npm run bench:registry -- --drop <id>)" });
  const t0 = performance.now();
  let done = 0;
  let lastPrint = t0;
  await pool(services, concurrency, async (i) => {
    const name = serviceName(i);
    await nacos.call("POST", "/v3/admin/ns/service", { namespaceId: namespace, serviceName: name, groupName: GROUP, ephemeral: "false", protectThreshold: "0" });
    // Health checker NONE: persistent instances keep the health they are registered with.
    await nacos.call("PUT", "/v3/admin/ns/cluster", { namespaceId: namespace, serviceName: name, groupName: GROUP, clusterName: "DEFAULT", checkPort: "0", useInstancePort4Check: "true", healthChecker: JSON.stringify({ type: "NONE" }) });
    for (let j = 0; j < perService; j++) {
      const healthy = bad[i * perService + j] ? "false" : "true";
      await nacos.call("POST", "/v3/admin/ns/instance", { namespaceId: namespace, serviceName: name, groupName: GROUP, ip: "127.0.0.1", port: String(FIRST_PORT + j), ephemeral: "false", healthy, weight: "1" });
    }
    done++;
    const now = performance.now();
    if (now - lastPrint > 10_000) {
      lastPrint = now;
      console.log(`  seeding: ${n(done)} / ${n(services)} services in ${((now - t0) / 1000).toFixed(0)} s`);
    }
  });
  const unhealthy = bad.reduce((a, b) => a + b, 0);
  const marker: Marker = {
    version: MARKER_VERSION,
    services,
    instancesPerService: perService,
    unhealthyPercent: percent,
    seed: seedValue,
    instances: services * perService,
    unhealthy,
    complete: true,
    seedSeconds: Math.round((performance.now() - t0) / 1000),
    createdAt: new Date().toISOString(),
  };
  await nacos.call("POST", "/v3/admin/cs/config", { ...MARKER, namespaceId: namespace, content: JSON.stringify(marker), type: "json" });
  return marker;
}

interface Census {
  services: number;
  instances: number;
  healthy: number;
  withUnhealthy: number;
}

async function census(nacos: NacosHttp, namespace: string): Promise<Census> {
  const all = await nacos.allServices(namespace, 500);
  return {
    services: all.length,
    instances: sum(all.map((s) => s.ipCount)),
    healthy: sum(all.map((s) => s.healthyInstanceCount)),
    withUnhealthy: all.filter((s) => s.healthyInstanceCount < s.ipCount).length,
  };
}

/** Nacos' counts settle a moment after the writes: wait (bounded) until they match the marker. */
async function settledCensus(nacos: NacosHttp, namespace: string, m: Marker): Promise<Census> {
  let c = await census(nacos, namespace);
  for (let i = 0; i < 30 && (c.instances !== m.instances || c.instances - c.healthy !== m.unhealthy); i++) {
    await sleep(1_000);
    c = await census(nacos, namespace);
  }
  return c;
}

/** Removes a bench namespace; `perService` is given for one this run created (its marker may be missing). */
async function drop(nacos: NacosHttp, namespace: string, perService?: number): Promise<void> {
  if (!/^bench-/.test(namespace)) throw new Error(`--drop only removes bench namespaces (bench-…), not ${namespace}`);
  const raw = await nacos.getConfig(namespace);
  if (!raw && perService === undefined) throw new Error(`${namespace} has no bench marker; not touching it`);
  const marker = { instancesPerService: perService ?? (JSON.parse(raw!) as Marker).instancesPerService };
  const t0 = performance.now();
  const names = (await nacos.allServices(namespace, 500)).map((s) => s.name);
  await pool(names.length, 32, async (i) => {
    const name = names[i]!;
    // Nacos refuses to delete a service that still has instances.
    await Promise.all(
      Array.from({ length: marker.instancesPerService }, (_, j) =>
        nacos.call("DELETE", "/v3/admin/ns/instance", { namespaceId: namespace, serviceName: name, groupName: GROUP, ip: "127.0.0.1", port: String(FIRST_PORT + j), ephemeral: "false" }).catch(() => undefined),
      ),
    );
    await nacos.call("DELETE", "/v3/admin/ns/service", { namespaceId: namespace, serviceName: name, groupName: GROUP }).catch(() => undefined);
  });
  await nacos.call("DELETE", "/v3/admin/cs/config", { ...MARKER, namespaceId: namespace }).catch(() => undefined);
  const left = await nacos.listServices(namespace, 1, 1);
  if (left.totalCount === 0) await nacos.call("DELETE", "/v3/admin/core/namespace", { namespaceId: namespace });
  console.log(`drop ${namespace}: ${n(names.length)} services removed in ${((performance.now() - t0) / 1000).toFixed(0)} s · ${left.totalCount} left${left.totalCount === 0 ? " · namespace deleted" : ""}`);
}

// ---------------------------------------------------------------------------------------------
// The two paths

interface Answer {
  total: number;
  names: string[];
}

/** Sort like the console (lib/registry/services.ts sortServices) for sort=-unhealthy. */
function byMostUnhealthy(items: ServiceItem[]): ServiceItem[] {
  return [...items].sort((a, b) => {
    const x = a.ipCount - a.healthyInstanceCount;
    const y = b.ipCount - b.healthyInstanceCount;
    return -(x - y) || a.name.localeCompare(b.name);
  });
}

type Kind = "page" | "sorted" | "unhealthy";
interface Query {
  kind: Kind;
  env: string;
  page: number;
}

function makePaths(server: ConsoleServer, cookie: string, nacos: NacosHttp, namespace: string, directPageSize: number) {
  const viaConsole = async (q: Query): Promise<{ ms: number; answer: Answer }> => {
    const qs = new URLSearchParams({ namespace, page: String(q.page), pageSize: String(PAGE_SIZE) });
    if (q.kind === "sorted") qs.set("sort", "-unhealthy");
    if (q.kind === "unhealthy") qs.set("unhealthy", "true");
    const t = performance.now();
    const res = await fetch(`${server.url}/api/v1/environments/${q.env}/services?${qs}`, { headers: { cookie } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`console answered ${res.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { total: number; items: Array<{ name: string }> };
    const ms = performance.now() - t;
    return { ms, answer: { total: body.total, names: body.items.map((i) => i.name) } };
  };
  const viaDirect = async (q: Query): Promise<{ ms: number; answer: Answer }> => {
    const t = performance.now();
    if (q.kind === "page") {
      const p = await nacos.listServices(namespace, q.page, PAGE_SIZE);
      const ms = performance.now() - t;
      return { ms, answer: { total: p.totalCount, names: p.pageItems.map((i) => i.name) } };
    }
    let all = await nacos.allServices(namespace, directPageSize);
    if (q.kind === "unhealthy") all = all.filter((s) => s.healthyInstanceCount < s.ipCount);
    if (q.kind === "sorted") all = byMostUnhealthy(all);
    const names = all.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE).map((s) => s.name);
    const ms = performance.now() - t;
    return { ms, answer: { total: all.length, names } };
  };
  return { viaConsole, viaDirect };
}

/**
 * Hands out (environment, page) slots so that the console's cache entry for the slot has
 * lapsed: the least recently used slot, after waiting for it if needed.
 */
class ColdSlots {
  #used = new Map<string, number>();
  constructor(
    readonly slots: Array<{ env: string; page: number }>,
    readonly ttlMs: number,
    readonly keyOf: (s: { env: string; page: number }) => string,
  ) {}
  #cursor = 0;
  /** Milliseconds spent waiting for a slot's cache to lapse (a throughput window must not). */
  waitedMs = 0;
  async next(): Promise<{ env: string; page: number; done: () => void }> {
    const s = this.slots[this.#cursor++ % this.slots.length]!;
    const key = this.keyOf(s);
    while (this.#used.get(key) === Infinity) await sleep(5);
    const last = this.#used.get(key);
    if (last !== undefined) {
      const wait = last + this.ttlMs + CACHE_MARGIN_MS - performance.now();
      if (wait > 0) {
        this.waitedMs += wait;
        await sleep(wait);
      }
    }
    this.#used.set(key, Infinity); // in flight: never handed out again before done()
    return { ...s, done: () => this.#used.set(key, performance.now()) };
  }
}

// ---------------------------------------------------------------------------------------------

interface Row {
  label: string;
  console: number[];
  direct: number[];
  equal: number;
  compared: number;
}

function latencyLine(r: Row): string {
  const c = [50, 95, 99].map((p) => pct(r.console, p));
  const d = [50, 95, 99].map((p) => pct(r.direct, p));
  const ct = r.console.length / (sum(r.console) / 1000);
  const dt = r.direct.length / (sum(r.direct) / 1000);
  return [
    r.label.padEnd(18),
    String(r.console.length).padStart(4),
    c.map(f1).join(" / ").padStart(22),
    d.map(f1).join(" / ").padStart(22),
    c.map((v, i) => f2(v / d[i]!)).join(" / ").padStart(19),
    `${f1(ct)} / ${f1(dt)}`.padStart(16),
    f2(ct / dt).padStart(6),
    `${r.equal}/${r.compared}`.padStart(9),
  ].join("  ");
}

function same(a: Answer, b: Answer): boolean {
  return a.total === b.total && a.names.length === b.names.length && a.names.every((x, i) => x === b.names[i]);
}

async function main(): Promise<void> {
  const services = arg("--services", 10_000);
  const perService = arg("--instances-per", 2);
  const percent = arg("--unhealthy-percent", 10);
  const seedConcurrency = arg("--seed-concurrency", 32);
  const requests = arg("--requests", 200);
  const fullRequests = arg("--full-requests", 30);
  const concurrency = arg("--concurrency", 8);
  const windowSeconds = arg("--window-seconds", 2);
  const windows = arg("--windows", 2);
  const envCount = arg("--envs", 8);
  const directPageSizeArg = arg("--direct-page-size", 0);
  const keep = flag("--keep");
  const reuse = argText("--reuse");
  const dropNs = argText("--drop");

  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(conn.url)) throw new Error(`the bench only talks to a Nacos on 127.0.0.1, not ${conn.url}`);
  const nacos = new NacosHttp(conn.url, conn.username, conn.password);
  await nacos.login();
  if (dropNs) return drop(nacos, dropNs);

  // 1. Data.
  let namespace: string;
  let marker: Marker;
  if (reuse) {
    namespace = reuse;
    const raw = await nacos.getConfig(namespace);
    const m = raw ? (JSON.parse(raw) as Marker) : null;
    if (!m || m.version !== MARKER_VERSION || !m.complete) throw new Error(`--reuse ${namespace}: no complete bench marker (version ${MARKER_VERSION}) in that namespace; seed a new one`);
    marker = m;
    console.log(`reuse ${namespace}: seeded ${marker.createdAt}, ${n(marker.services)} services × ${marker.instancesPerService} instances, ${n(marker.unhealthy)} unhealthy`);
  } else {
    namespace = `bench-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
    console.log(`seeding ${namespace}: ${n(services)} services × ${perService} persistent instances, ${percent} % unhealthy, ${seedConcurrency} services in flight`);
    try {
      marker = await seed(nacos, namespace, services, perService, percent, seedConcurrency);
    } catch (e) {
      if (!keep) await drop(nacos, namespace, perService).catch((d: unknown) => console.error(`could not drop ${namespace}:`, d));
      throw e;
    }
    console.log(`seed: ${n(marker.instances)} instances (${n(marker.unhealthy)} unhealthy) in ${marker.seedSeconds} s · ${(marker.instances / Math.max(1, marker.seedSeconds)).toFixed(0)} instances/s`);
  }

  let pg: PostgresFixture | undefined;
  let server: ConsoleServer | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-registry-"));
  let cleaned: Promise<void> | undefined;
  // Once, whichever comes first: the end of the run, Ctrl-C, or a closed stdout (`| head`).
  const cleanup = () =>
    (cleaned ??= (async () => {
      await server?.stop();
      await pg?.drop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (keep || reuse) console.log(`namespace ${namespace} kept: rerun with --reuse ${namespace}; remove with --drop ${namespace}`);
      else await drop(nacos, namespace, marker.instancesPerService);
    })());
  cleanupOnExit(cleanup);
  try {
    const real = await settledCensus(nacos, namespace, marker);
    if (real.services !== marker.services || real.instances !== marker.instances || real.instances - real.healthy !== marker.unhealthy) {
      console.log(`WARNING: Nacos holds ${n(real.services)} services / ${n(real.instances)} instances / ${n(real.instances - real.healthy)} unhealthy, the seed wrote ${n(marker.services)} / ${n(marker.instances)} / ${n(marker.unhealthy)}`);
    }

    // 2. The console, as operators run it, on a fresh database.
    pg = await freshPostgres("benchreg");
    const adminPassword = `bench-${randomBytes(12).toString("base64url")}`;
    server = await startConsole({
      NODE_ENV: "production",
      DATABASE_URL: pg.appUrl,
      DATABASE_MIGRATION_URL: pg.migrationUrl,
      SWITCHYARD_SECRET: testSecret(),
      SWITCHYARD_ENCRYPTION_KEY: testSecret(),
      SWITCHYARD_ADMIN_PASSWORD: adminPassword,
      SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
      SWITCHYARD_DATA_DIR: dataDir,
    });
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: adminPassword, source: "local" }) });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    // Several environments on the same namespace: the cache is per environment (cold rotation).
    const warmEnv = "bench-warm";
    const coldEnvs = Array.from({ length: envCount }, (_, i) => `bench-cold-${i}`);
    for (const name of [warmEnv, ...coldEnvs]) {
      const res = await fetch(`${server.url}/api/v1/environments`, {
        method: "POST",
        headers: { origin: server.url, "content-type": "application/json", cookie },
        body: JSON.stringify({ name, labels: { tier: "bench" }, registry: { kind: "nacos", url: conn.url, username: conn.username, password: conn.password, namespaces: [namespace] } }),
      });
      if (res.status !== 201) throw new Error(`registering environment ${name} answered ${res.status}: ${await res.text()}`);
    }
    // Nacos 3.1 does not cap pageSize: the cheapest way to the whole namespace is one call.
    const directPageSize = directPageSizeArg > 0 ? directPageSizeArg : Math.max(500, real.services);
    const { viaConsole, viaDirect } = makePaths(server, cookie, nacos, namespace, directPageSize);

    const pages = Math.max(1, Math.ceil(real.services / PAGE_SIZE));
    const pgVersion = await pg.asAdmin(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v);
    console.log("");
    console.log(`bench:registry — path measured: HTTP (Node fetch, keep-alive) → built console ${server.url} (node scripts/server.mts, NODE_ENV=production, .next BUILD_ID ${fs.readFileSync(".next/BUILD_ID", "utf8").trim()}) → GET /api/v1/environments/{env}/services, session cookie of the bootstrap admin signed in over HTTP → Nacos ${conn.url}`);
    console.log(`  console settings: fresh PostgreSQL ${pgVersion} database ${pg.name} (stack), DB pool 10 (default), registry cache 2 s / snapshot 5 s (lib/registry/services.ts), SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true`);
    console.log(`  baseline: the same HTTP client → Nacos HTTP API GET /v3/admin/ns/service/list (accessToken; namespaceId, pageNo, pageSize, ignoreEmptyService=false) — the list query the console's client sends`);
    console.log(`  sorted (sort=-unhealthy) and unhealthy (unhealthy=true) baseline: Nacos cannot sort or filter on health, so the client reads the whole namespace's list with counts (pageSize ${n(directPageSize)}: ${Math.ceil(real.services / directPageSize)} Nacos call(s) per answer${directPageSizeArg > 0 ? "" : ", the fewest — Nacos 3.1 does not cap pageSize; the console reads pages of 500"}) and filters / sorts itself with the console's comparator (-unhealthy, then name by localeCompare)`);
    console.log(`  data: namespace ${namespace}: ${n(real.services)} services, ${n(real.instances)} instances, ${n(real.instances - real.healthy)} unhealthy (${f1((100 * (real.instances - real.healthy)) / Math.max(1, real.instances))} %), ${n(real.withUnhealthy)} services with an unhealthy instance (census read back from Nacos)`);
    console.log(`  method: console and direct alternate per iteration; cold = the console's cache for that request has lapsed (rotating ${envCount} environments × pages), warm = the same request repeated on one environment; latency = one sequential client; machine: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);

    // Warm-up (not counted): JIT, connection pools, the console's Nacos token.
    for (let i = 0; i < 10; i++) {
      await viaConsole({ kind: "page", env: warmEnv, page: 1 + (i % pages) });
      await viaDirect({ kind: "page", env: warmEnv, page: 1 + (i % pages) });
    }
    await viaConsole({ kind: "sorted", env: warmEnv, page: 1 });
    // Each environment's Nacos client and token are made on its first request: not counted either
    // (pageSize 10 is another cache key than the measured pages).
    for (const env of coldEnvs) {
      const res = await fetch(`${server.url}/api/v1/environments/${env}/services?${new URLSearchParams({ namespace, page: "1", pageSize: "10" })}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`warm-up on ${env} answered ${res.status}: ${await res.text()}`);
    }
    await viaDirect({ kind: "sorted", env: warmEnv, page: 1 });

    const pageSlots = new ColdSlots(
      // Every page once on the first environment, then on the next: pages spread over the namespace.
      Array.from({ length: pages * envCount }, (_, k) => ({ env: coldEnvs[Math.floor(k / pages) % envCount]!, page: 1 + (k % pages) })),
      PAGE_CACHE_MS,
      (s) => `${s.env}:${s.page}`,
    );
    // Sort and filter share one namespace snapshot per environment: one slot per environment.
    const snapSlots = new ColdSlots(
      coldEnvs.map((env) => ({ env, page: 1 })),
      SNAPSHOT_CACHE_MS,
      (s) => s.env,
    );

    const measure = async (label: string, kind: Kind, count: number, cold: boolean): Promise<Row> => {
      const row: Row = { label, console: [], direct: [], equal: 0, compared: 0 };
      for (let i = 0; i < count; i++) {
        const slot = cold ? await (kind === "page" ? pageSlots : snapSlots).next() : { env: warmEnv, page: 1, done: () => undefined };
        const q: Query = { kind, env: slot.env, page: slot.page };
        let c: Answer;
        let d: Answer;
        if (i % 2 === 0) {
          const a = await viaConsole(q);
          slot.done();
          const b = await viaDirect(q);
          row.console.push(a.ms);
          row.direct.push(b.ms);
          [c, d] = [a.answer, b.answer];
        } else {
          const b = await viaDirect(q);
          const a = await viaConsole(q);
          slot.done();
          row.console.push(a.ms);
          row.direct.push(b.ms);
          [c, d] = [a.answer, b.answer];
        }
        row.compared++;
        if (same(c, d)) row.equal++;
      }
      return row;
    };

    const header = ["row".padEnd(18), "   n", "console p50/p95/p99 ms".padStart(22), "direct p50/p95/p99 ms".padStart(22), "ratio p50/p95/p99".padStart(19), "req/s cons/dir".padStart(16), " ratio", "  equal"].join("  ");
    console.log("");
    console.log(`latency at ${n(real.services)} services (ratio = console / direct; req/s = one sequential client; equal = console answer identical to the direct one)`);
    console.log(header);
    const rows: Row[] = [];
    const run = async (label: string, kind: Kind, count: number, cold: boolean) => {
      const r = await measure(label, kind, count, cold);
      rows.push(r);
      console.log(latencyLine(r));
    };
    await run("page cold", "page", requests, true);
    await run("page warm", "page", requests, false);
    await run("sorted cold", "sorted", fullRequests, true);
    await run("sorted warm", "sorted", fullRequests, false);
    await run("unhealthy cold", "unhealthy", fullRequests, true);
    await run("unhealthy warm", "unhealthy", fullRequests, false);

    // Throughput with `concurrency` clients, console and direct windows alternating.
    console.log("");
    console.log(`throughput with ${concurrency} concurrent clients, ${windows} × ${windowSeconds} s windows per path, alternating console/direct (sorted/unhealthy cold cannot be held cold under load: the snapshot is shared for 5 s, so they are measured warm only)`);
    console.log(["row".padEnd(18), "console req/s".padStart(14), "direct req/s".padStart(13), " ratio", "console p95 ms".padStart(15), "direct p95 ms".padStart(14), "errors".padStart(7)].join("  "));
    const throughput = async (label: string, kind: Kind, cold: boolean) => {
      const done = { console: 0, direct: 0 };
      const lat = { console: [] as number[], direct: [] as number[] };
      const time = { console: 0, direct: 0 };
      let errors = 0;
      let directPage = 0;
      const waited0 = pageSlots.waitedMs;
      for (let w = 0; w < windows * 2; w++) {
        const side = w % 2 === 0 ? "console" : "direct";
        const until = performance.now() + windowSeconds * 1000;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (performance.now() < until) {
              // Direct has no cache: only the console needs a lapsed slot; direct rotates pages alike.
              const slot = cold && side === "console" ? await pageSlots.next() : { env: warmEnv, page: cold ? 1 + (directPage++ % pages) : 1, done: () => undefined };
              if (performance.now() >= until) {
                slot.done();
                break;
              }
              const q: Query = { kind, env: slot.env, page: slot.page };
              try {
                const a = side === "console" ? await viaConsole(q) : await viaDirect(q);
                lat[side].push(a.ms);
                done[side]++;
              } catch {
                errors++;
              } finally {
                slot.done();
              }
            }
          }),
        );
        time[side] += (performance.now() - t0) / 1000;
      }
      const ct = done.console / time.console;
      const dt = done.direct / time.direct;
      const waited = pageSlots.waitedMs - waited0;
      console.log(
        [label.padEnd(18), f1(ct).padStart(14), f1(dt).padStart(13), f2(ct / dt).padStart(6), f1(pct(lat.console, 95)).padStart(15), f1(pct(lat.direct, 95)).padStart(14), String(errors).padStart(7)].join("  ") +
          (waited > 0 ? `  (console clients waited ${(waited / 1000).toFixed(1)} s for a lapsed cache slot: limited by --envs × pages, not by the console)` : ""),
      );
    };
    await throughput("page cold", "page", true);
    await throughput("page warm", "page", false);
    await throughput("sorted warm", "sorted", false);
    await throughput("unhealthy warm", "unhealthy", false);

    const cold = rows.filter((r) => r.label.endsWith("cold"));
    console.log("");
    console.log(
      `summary (cold, p95 console/direct): ${cold.map((r) => `${r.label.replace(" cold", "")} ${f1(pct(r.console, 95))}/${f1(pct(r.direct, 95))} ms = ${f2(pct(r.console, 95) / pct(r.direct, 95))}`).join(" · ")} · answers equal ${sum(rows.map((r) => r.equal))}/${sum(rows.map((r) => r.compared))}`,
    );
  } catch (e) {
    if (server) console.error(`console output (tail):\n${server.output().slice(-3000)}`);
    throw e;
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
