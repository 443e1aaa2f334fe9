/**
 * Config benchmark (issue #13) — prints figures, never a pass/fail test.
 *
 * Publish → notification: a real Nacos application (the official Java SDK over gRPC,
 * lib/testing/nacos-config-client.ts) listens to one config. Each iteration publishes a new
 * content either through the BUILT console's HTTP API (PUT …/configs/{group}/{dataId}, with the
 * casMd5 it read — the path an operator takes) or directly to Nacos' HTTP API (POST
 * /v3/admin/cs/config with an accessToken, what the console itself sends), alternating, and
 * measures the time from sending the publish to the SDK's listener callback (wall clock,
 * epoch ms, same machine). It prints p50/p95 for both paths and the console's added latency
 * (console − direct) for the publish call and for the notification. Targets (the seed's
 * promise): ≤ 500 ms p95 end to end, ≤ 20 ms added by the console.
 *
 * List at N configs: a namespace seeded with --configs (10,000) configs; GET …/configs?page=
 * through the console against GET /v3/admin/cs/config/list directly (same page size, random
 * pages), alternating; p50/p95 each.
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npm run bench:config -- [--publishes 40] [--configs 10000]
 *     [--list-requests 100] [--seed-concurrency 32] [--keep]
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createNacosClient, md5Hex } from "@/lib/nacos/client";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startConfigProbe, type ConfigProbe } from "@/lib/testing/nacos-config-client";
import { peerEnv } from "@/lib/testing/peers";
import { cleanupOnExit } from "../exit-cleanup";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const flag = (name: string) => process.argv.includes(name);

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");

const PUBLISHES = arg("--publishes", 40);
const CONFIGS = arg("--configs", 10_000);
const LIST_REQUESTS = arg("--list-requests", 100);
const SEED_CONCURRENCY = arg("--seed-concurrency", 32);
const KEEP = flag("--keep");

const stamp = randomBytes(3).toString("hex");
const NS = `bench-cfg-${stamp}`;
const G = "BENCH";
const DATA_ID = "bench-listened.properties";
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;

let pg: PostgresFixture | undefined;
let server: ConsoleServer | undefined;
let probe: ConfigProbe | undefined;
let dataDir: string | undefined;
const nacosBase = peerEnv("nacos", "NACOS_URL").replace(/\/$/, "");
const nacos = createNacosClient({ environment: "bench", baseUrl: nacosBase, username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") });
let seeded = 0;

async function cleanup(): Promise<void> {
  await probe?.stop().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await pg?.drop().catch(() => undefined);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (!KEEP) {
    await bounded(seeded, SEED_CONCURRENCY, (i) => nacos.deleteConfig({ namespace: NS, group: G, dataId: `c-${i}.properties` }).catch(() => undefined));
    await nacos.deleteConfig({ namespace: NS, group: G, dataId: DATA_ID }).catch(() => undefined);
    await fetch(`${nacosBase}/v3/admin/core/namespace?namespaceId=${NS}`, { method: "DELETE", headers: { accessToken: await token() } }).catch(() => undefined);
  }
}

let cachedToken = "";
async function token(): Promise<string> {
  if (cachedToken) return cachedToken;
  const res = await fetch(`${nacosBase}/v3/auth/user/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") }).toString(),
  });
  cachedToken = ((await res.json()) as { accessToken: string }).accessToken;
  return cachedToken;
}

async function bounded(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function main(): Promise<void> {
  cleanupOnExit(cleanup);
  console.log(`config bench: namespace ${NS}, ${PUBLISHES} publishes per path, list at ${CONFIGS} configs (${LIST_REQUESTS} requests per path)`);
  pg = await freshPostgres("benchcfg");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-cfg-"));
  server = await startConsole({
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: testSecret(),
    SWITCHYARD_ENCRYPTION_KEY: testSecret(),
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: dataDir,
  });
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: server.url, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  const consoleCall = (method: string, route: string, body?: unknown) =>
    fetch(server!.url + route, { method, headers: { origin: server!.url, cookie, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  await nacos.createNamespace({ id: NS, name: NS });
  const env = await consoleCall("POST", "/api/v1/environments", {
    name: "bench",
    labels: { tier: "dev" },
    registry: { kind: "nacos", url: nacosBase, username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [NS] },
  });
  if (env.status !== 201) throw new Error(`environment: HTTP ${env.status} ${await env.text()}`);

  // ---- publish → notification
  let content = "v=0\n";
  await nacos.publishConfig({ namespace: NS, group: G, dataId: DATA_ID, content, type: "properties" });
  probe = await startConfigProbe(NS, "127.0.0.1");
  await probe.listen(DATA_ID, G);
  const direct = { call: [] as number[], notify: [] as number[] };
  const viaConsole = { call: [] as number[], notify: [] as number[] };
  const tokenValue = await token();
  for (let i = 1; i <= PUBLISHES * 2; i++) {
    const useConsole = i % 2 === 1;
    const next = `v=${i}\n`;
    const md5 = md5Hex(next);
    const from = probe.events.length;
    const sentAt = Date.now();
    const t0 = performance.now();
    if (useConsole) {
      const r = await consoleCall("PUT", `/api/v1/environments/bench/configs/${G}/${DATA_ID}?namespace=${NS}`, { type: "properties", content: next, casMd5: md5Hex(content) });
      if (r.status !== 200) throw new Error(`console publish: HTTP ${r.status} ${await r.text()}`);
      await r.arrayBuffer().catch(() => undefined);
    } else {
      const r = await fetch(`${nacosBase}/v3/admin/cs/config`, {
        method: "POST",
        headers: { accessToken: tokenValue, "content-type": "application/x-www-form-urlencoded", casMd5: md5Hex(content) },
        body: new URLSearchParams({ dataId: DATA_ID, groupName: G, namespaceId: NS, content: next, type: "properties" }).toString(),
      });
      if (!r.ok) throw new Error(`direct publish: HTTP ${r.status}`);
      await r.arrayBuffer();
    }
    const callMs = performance.now() - t0;
    const e = await probe.next((x) => x.event === "change" && x.md5 === md5, 30_000);
    void from;
    const notifyMs = e.t! - sentAt;
    (useConsole ? viaConsole : direct).call.push(callMs);
    (useConsole ? viaConsole : direct).notify.push(notifyMs);
    content = next;
  }

  console.log("\npublish → listener notified (real Nacos Java SDK, gRPC), ms");
  console.log("path       publish-call p50   p95    notified p50   p95");
  for (const [name, s] of [
    ["console", viaConsole],
    ["direct", direct],
  ] as const) {
    console.log(`${name.padEnd(10)} ${f1(pct(s.call, 50)).padStart(12)} ${f1(pct(s.call, 95)).padStart(6)} ${f1(pct(s.notify, 50)).padStart(14)} ${f1(pct(s.notify, 95)).padStart(6)}`);
  }
  const addedP50 = pct(viaConsole.call, 50) - pct(direct.call, 50);
  const addedP95 = pct(viaConsole.call, 95) - pct(direct.call, 95);
  console.log(`console added (publish call): p50 ${f1(addedP50)} ms, p95 ${f1(addedP95)} ms (target ≤ 20 ms); ratio p50 ${f1(pct(viaConsole.call, 50) / pct(direct.call, 50))}×`);
  console.log(`console added (to notification): p50 ${f1(pct(viaConsole.notify, 50) - pct(direct.notify, 50))} ms, p95 ${f1(pct(viaConsole.notify, 95) - pct(direct.notify, 95))} ms`);
  console.log(`end to end p95 through the console: ${f1(pct(viaConsole.notify, 95))} ms (target ≤ 500 ms)`);
  console.log("(the console's publish reads the config under its lock and publishes with casMd5: two Nacos calls, the lock's transaction and the audit intent/outcome rows)");

  // ---- list at N configs
  const seedStart = performance.now();
  await bounded(CONFIGS, SEED_CONCURRENCY, async (i) => {
    await nacos.publishConfig({ namespace: NS, group: G, dataId: `c-${i}.properties`, content: `n=${i}\n`, type: "properties" });
    seeded = Math.max(seeded, i + 1);
  });
  console.log(`\nseeded ${CONFIGS} configs in ${f1((performance.now() - seedStart) / 1000)} s`);
  const census = await nacos.listConfigs({ namespace: NS, page: 1, pageSize: 1 });
  console.log(`census: Nacos lists ${census.total} configs in ${NS}`);
  const pageSize = 50;
  const pages = Math.max(1, Math.ceil(census.total / pageSize));
  const listConsole: number[] = [];
  const listDirect: number[] = [];
  let equal = 0;
  for (let i = 0; i < LIST_REQUESTS * 2; i++) {
    const page = 1 + Math.floor(Math.random() * pages);
    const t0 = performance.now();
    if (i % 2 === 0) {
      const r = await consoleCall("GET", `/api/v1/environments/bench/configs?namespace=${NS}&page=${page}&pageSize=${pageSize}`);
      const body = (await r.json()) as { total: number };
      listConsole.push(performance.now() - t0);
      if (body.total === census.total) equal++;
    } else {
      const q = new URLSearchParams({ namespaceId: NS, pageNo: String(page), pageSize: String(pageSize), search: "blur", dataId: "", groupName: "" });
      const r = await fetch(`${nacosBase}/v3/admin/cs/config/list?${q.toString()}`, { headers: { accessToken: tokenValue } });
      await r.json();
      listDirect.push(performance.now() - t0);
    }
  }
  console.log(`\nlist page (${pageSize} per page, random pages of ${census.total}), ms`);
  console.log(`console    p50 ${f1(pct(listConsole, 50))}  p95 ${f1(pct(listConsole, 95))}`);
  console.log(`direct     p50 ${f1(pct(listDirect, 50))}  p95 ${f1(pct(listDirect, 95))}`);
  console.log(`console added: p95 ${f1(pct(listConsole, 95) - pct(listDirect, 95))} ms, ratio p95 ${f1(pct(listConsole, 95) / pct(listDirect, 95))}×; ${equal}/${listConsole.length} console answers had the census total`);

  // ---- the page's gray badges: Nacos' truth, asked after the page shows (…/configs/betas). Nacos
  // 3.1 has no list or batch query of betas, so this reads the beta of each of the 50 configs.
  const betaTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const page = 1 + Math.floor(Math.random() * pages);
    const list = (await (await consoleCall("GET", `/api/v1/environments/bench/configs?namespace=${NS}&page=${page}&pageSize=${pageSize}`)).json()) as { items: Array<{ group: string; dataId: string }> };
    const keys = list.items.map((c) => `${c.group}/${c.dataId}`).join(",");
    const t0 = performance.now();
    await (await consoleCall("GET", `/api/v1/environments/bench/configs/betas?namespace=${NS}&keys=${encodeURIComponent(keys)}`)).json();
    betaTimes.push(performance.now() - t0);
  }
  console.log(`page badges (betas of ${pageSize} configs, after the page): p50 ${f1(pct(betaTimes, 50))}  p95 ${f1(pct(betaTimes, 95))} ms`);

  // ---- the "has a gray release" filter: Nacos' truth needs every config's beta (no batch query);
  // the first request scans the namespace, the next ones within 10 s reuse the scan.
  const grayTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await consoleCall("GET", `/api/v1/environments/bench/configs?namespace=${NS}&gray=true&page=1&pageSize=${pageSize}`);
    await r.json();
    grayTimes.push(performance.now() - t0);
  }
  console.log(`
gray filter at ${census.total} configs, ms: first (scan) ${f1(grayTimes[0]!)}, then (cached) ${grayTimes.slice(1).map(f1).join(", ")}`);
}

main()
  .then(cleanup)
  .then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      void cleanup().finally(() => process.exit(1));
    },
  );
