/**
 * Gateway route-list benchmark — prints figures, never a pass/fail test (issue #15).
 *
 * Path measured: an HTTP client (Node fetch, keep-alive) → the BUILT console (`node
 * scripts/server.mts`, NODE_ENV=production, lib/testing/console-server.ts, on a fresh PostgreSQL
 * database of the stack) → GET /api/v1/environments/{env}/gateway/routes?namespace=…&page=…&
 * pageSize=50 → the stack's real Kubernetes API server. The console lists HTTPRoutes, GRPCRoutes
 * and VirtualServices of the namespace on every request (no cache), filters by scope, sorts and
 * pages. Baselines, from the same process with the console's own Kubernetes client (TLS, client
 * certificate, keep-alive): "direct all" = listing every HTTPRoute of the namespace (what a client
 * needs to answer the same sorted page), "direct page" = one page of 50 (limit=50).
 * Console and direct alternate per iteration.
 *
 * Data: a namespace `bench-gw-<stamp>` with --routes HTTPRoutes (50 gateways' worth of parents,
 * 1–2 rules, weighted backends), created with --seed-concurrency in flight, removed at the end.
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npx tsx --conditions=react-server bench/gateway/list.ts [--routes 5000] [--requests 60]
 */
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createK8sClient } from "@/lib/k8s/client";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { cleanupOnExit } from "../exit-cleanup";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const pct = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const f1 = (v: number) => v.toFixed(1);

async function main(): Promise<void> {
  const routes = arg("routes", 5000);
  const requests = arg("requests", 60);
  const concurrency = arg("seed-concurrency", 16);
  const ns = `bench-gw-${Date.now().toString(36)}`;
  const k8sConn = { environment: "bench", apiUrl: peerEnv("k8s", "K8S_URL"), caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"), clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"), clientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8"), timeoutMs: 60_000 };
  const k8s = createK8sClient(k8sConn);
  let pg: PostgresFixture | undefined;
  let server: ConsoleServer | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-gateway-"));
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await server?.stop();
      await pg?.drop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
      const u = new URL(k8sConn.apiUrl);
      await new Promise<void>((resolve) => {
        const req = https.request({ host: u.hostname, port: Number(u.port), method: "DELETE", path: `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`, ca: k8sConn.caPem, cert: k8sConn.clientCertPem, key: k8sConn.clientKeyPem }, (res) => {
          res.resume();
          res.on("end", () => resolve());
        });
        req.on("error", () => resolve());
        req.end();
      });
      k8s.close();
    })());
  cleanupOnExit(cleanup);
  try {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < routes) {
          const i = next++;
          await k8s.create("HTTPRoute", ns, {
            metadata: { name: `route-${i}` },
            spec: {
              parentRefs: [{ name: `edge-${i % 50}` }],
              hostnames: [`r${i}.app${i % 50}.example.com`],
              rules: Array.from({ length: 1 + (i % 2) }, (_, r) => ({ matches: [{ path: { type: "PathPrefix", value: `/r${i}/${r}` } }], backendRefs: [{ name: `svc-${i}`, port: 8080, weight: 90 }, { name: `svc-${i}-canary`, port: 8080, weight: 10 }] })),
            },
          });
        }
      }),
    );
    console.log(`seeded ${routes} HTTPRoutes in ${ns} in ${f1((performance.now() - t0) / 1000)} s`);

    pg = await freshPostgres("benchgw");
    const adminPassword = `bench-${Date.now()}-gateway-pass`;
    server = await startConsole({ NODE_ENV: "production", DATABASE_URL: pg.appUrl, DATABASE_MIGRATION_URL: pg.migrationUrl, SWITCHYARD_SECRET: testSecret(), SWITCHYARD_ENCRYPTION_KEY: testSecret(), SWITCHYARD_ADMIN_PASSWORD: adminPassword, SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true", SWITCHYARD_DATA_DIR: dataDir });
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: adminPassword, source: "local" }) });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    const env = "bench-gw";
    const reg = await fetch(`${server.url}/api/v1/environments`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json", cookie },
      body: JSON.stringify({ name: env, labels: { tier: "bench" }, kubernetes: { apiUrl: k8sConn.apiUrl, caPem: k8sConn.caPem, auth: "client-certificate", clientCertPem: k8sConn.clientCertPem, clientKeyPem: k8sConn.clientKeyPem } }),
    });
    if (reg.status !== 201) throw new Error(`registering ${env} answered ${reg.status}: ${await reg.text()}`);

    const pages = Math.ceil(routes / 50);
    const viaConsole = async (i: number) => {
      const t = performance.now();
      const res = await fetch(`${server!.url}/api/v1/environments/${env}/gateway/routes?namespace=${ns}&page=${1 + (i % pages)}&pageSize=50`, { headers: { cookie } });
      const body = (await res.json()) as { total: number; items: unknown[] };
      if (res.status !== 200 || body.total !== routes || body.items.length !== 50) throw new Error(`console answered ${res.status}, total ${body.total}`);
      return performance.now() - t;
    };
    const directAll = async () => {
      const t = performance.now();
      let n = 0;
      let cont: string | undefined;
      do {
        const p = await k8s.list("HTTPRoute", ns, { limit: 500, continue: cont });
        n += p.items.length;
        cont = p.continue;
      } while (cont);
      if (n !== routes) throw new Error(`direct list saw ${n}`);
      return performance.now() - t;
    };
    const directPage = async () => {
      const t = performance.now();
      const p = await k8s.list("HTTPRoute", ns, { limit: 50 });
      if (p.items.length !== 50) throw new Error("direct page short");
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) {
      await viaConsole(i);
      await directAll();
      await directPage();
    }
    const c: number[] = [];
    const a: number[] = [];
    const p1: number[] = [];
    for (let i = 0; i < requests; i++) {
      if (i % 2) {
        c.push(await viaConsole(i));
        a.push(await directAll());
      } else {
        a.push(await directAll());
        c.push(await viaConsole(i));
      }
      p1.push(await directPage());
    }
    console.log(`route list, ${routes} HTTPRoutes in one namespace, ${requests} requests each (machine: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}):`);
    console.log(`  console page of 50 (lists HTTPRoute+GRPCRoute+VirtualService, scope, sort, page): p50 ${f1(pct(c, 50))} ms · p95 ${f1(pct(c, 95))} ms`);
    console.log(`  direct list of every HTTPRoute (limit 500 pages):                             p50 ${f1(pct(a, 50))} ms · p95 ${f1(pct(a, 95))} ms · ratio p95 console/direct ${(pct(c, 95) / pct(a, 95)).toFixed(2)}`);
    console.log(`  direct single page (limit=50, unsorted):                                      p50 ${f1(pct(p1, 50))} ms · p95 ${f1(pct(p1, 95))} ms · ratio p95 console/direct ${(pct(c, 95) / pct(p1, 95)).toFixed(2)}`);
  } finally {
    await cleanup();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
