/**
 * Mesh benchmark — prints figures, never a pass/fail test (issue #14).
 *
 * 1. Validation, IN PROCESS (no HTTP, no API server): N generated VirtualServices and N DestinationRules (default 2,000 each, one per
 *    host, half with two weighted subsets) plus 500 AuthorizationPolicies, every rule of
 *    lib/mesh/model/validate.ts, including the cross-layer rules against a registry of 10,000
 *    services (instances with version labels for the hosts the objects use) and 10,000 Kubernetes
 *    Services. Timed in-process (the rules are pure; the facts are what lib/mesh/facts.ts builds).
 *    Target: ≤ 2 s (Kiali takes about 30 s at 1,600 services).
 * 2. List page: --objects Istio objects (default 2,000: half VirtualServices, half
 *    DestinationRules) in one namespace of the stack's real API server; the p50/p95 of
 *    GET /api/v1/environments/{env}/mesh?namespace=… through the BUILT console (two console
 *    requests' worth of lists, the rules and the badges) against a direct list of the same eight
 *    kinds from the API server (the baseline: what the console must read), alternating.
 * 3. Validate through HTTP: POST /api/v1/environments/{env}/mesh/validate on the same built
 *    console with --batch new objects (default 20: half VirtualServices, half DestinationRules,
 *    each pointing at a host of the namespace) — the structural rules (the CRD schema), then every
 *    semantic and cross-layer rule judged among the namespace's --objects live objects — against
 *    the same direct list of the eight kinds (what the console must read to judge them), alternating.
 * The namespace and its objects are removed at the end (also on Ctrl-C).
 *
 * Usage (hold the shared build lock while the built console runs):
 *   flock -s /tmp/sy-build.lock npm run bench:mesh -- [--objects 2000] [--requests 20] [--batch 20] [--validate-only]
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createK8sClient } from "@/lib/k8s/client";
import { MESH_KINDS } from "@/lib/mesh/model/kinds";
import { validateMeshObjects, type MeshFacts, type MeshObject, type RegistryInstanceFact } from "@/lib/mesh/model/validate";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { cleanupOnExit } from "../exit-cleanup";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

function validationBench(pairs: number, policies: number, services: number): void {
  const ns = "bench";
  const registry = new Map<string, RegistryInstanceFact[] | null>();
  for (let i = 0; i < services; i++) registry.set(`svc-${i}`, null);
  const objects: MeshObject[] = [];
  for (let i = 0; i < pairs; i++) {
    const host = `svc-${i}`;
    registry.set(host, [
      { healthy: true, enabled: true, metadata: { version: "v1" } },
      { healthy: i % 10 !== 0, enabled: true, metadata: { version: "v2" } },
      { healthy: true, enabled: true, metadata: { version: "v1", zone: "a" } },
    ]);
    const split = i % 2 === 0;
    objects.push({
      kind: "DestinationRule",
      namespace: ns,
      name: host,
      spec: { host, trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } }, subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }, ...(i % 7 === 0 ? [{ name: "v3", labels: { version: "v3" } }] : [])] },
    });
    objects.push({
      kind: "VirtualService",
      namespace: ns,
      name: host,
      spec: {
        hosts: [host],
        http: [
          { match: [{ headers: { "x-canary": { exact: "true" } } }], route: [{ destination: { host, subset: "v2" } }] },
          { route: split ? [{ destination: { host, subset: "v1" }, weight: 90 }, { destination: { host, subset: "v2" }, weight: i % 13 === 0 ? 20 : 10 }] : [{ destination: { host: i % 11 === 0 ? `nowhere-${i}` : host } }], timeout: "5s", retries: { attempts: 3 } },
        ],
      },
    });
  }
  for (let i = 0; i < policies; i++) {
    objects.push({ kind: "AuthorizationPolicy", namespace: ns, name: `authz-${i}`, spec: { selector: { matchLabels: { app: `svc-${i}` } }, action: i % 2 ? "ALLOW" : "DENY", rules: [{ from: [{ source: { namespaces: ["frontend", "team-*"], principals: [i % 17 === 0 ? "bad principal" : "cluster.local/ns/frontend/sa/web"] } }], to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }] } });
  }
  objects.push({ kind: "PeerAuthentication", namespace: ns, name: "default", spec: { mtls: { mode: "STRICT" } } });
  const kube = new Set<string>();
  for (let i = 0; i < services; i++) kube.add(`${ns}/k8s-svc-${i}`);
  const facts: MeshFacts = { registry: { kind: "nacos", services: registry }, kubeServices: kube };

  validateMeshObjects(objects.slice(0, 100), objects, facts); // warm-up (JIT)
  const runs: number[] = [];
  let issues = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    issues = validateMeshObjects(objects, objects, facts).length;
    runs.push(performance.now() - t0);
  }
  console.log(`\n1. Validation, in process (the rules over generated facts; no HTTP, no API server): ${pairs} VirtualServices + ${pairs} DestinationRules + ${policies} AuthorizationPolicies (${objects.length} objects), registry of ${services} services, ${kube.size} Kubernetes Services`);
  console.log(`   every rule, 5 runs: best ${ms(Math.min(...runs))}, median ${ms(pct(runs, 50))}, worst ${ms(Math.max(...runs))}; ${issues} issues found (target ≤ 2000 ms; Kiali ≈ 30000 ms at 1,600 services)`);
}

async function listBench(count: number, requests: number, batch: number): Promise<void> {
  const run = randomBytes(3).toString("hex");
  const ns = `bench-mesh-${run}`;
  const apiUrl = peerEnv("k8s", "K8S_URL");
  const caPem = fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8");
  const clientCertPem = fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8");
  const clientKeyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  const k8s = createK8sClient({ environment: "bench", apiUrl, caPem, clientCertPem, clientKeyPem, timeoutMs: 30_000 });
  let pg: PostgresFixture | undefined;
  let server: ConsoleServer | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bench-mesh-"));
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    for (const kind of ["VirtualService", "DestinationRule"] as const) {
      for (;;) {
        const page = await k8s.list(kind, ns, { limit: 500 }).catch(() => ({ items: [] }));
        if (!page.items.length) break;
        await Promise.all(page.items.map((o) => k8s.delete(kind, ns, o.metadata.name).catch(() => undefined)));
      }
    }
    k8s.close();
    await pg?.drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  cleanupOnExit(cleanup);
  try {
    const t0 = performance.now();
    const half = Math.floor(count / 2);
    for (let i = 0; i < half; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, half - i) }, (_, j) => {
          const host = `svc-${i + j}`;
          return Promise.all([
            k8s.create("DestinationRule", ns, { metadata: { name: host }, spec: { host, subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }] } }),
            k8s.create("VirtualService", ns, { metadata: { name: host }, spec: { hosts: [host], http: [{ route: [{ destination: { host, subset: "v1" }, weight: 90 }, { destination: { host, subset: "v2" }, weight: 10 }] }] } }),
          ]);
        }),
      );
    }
    console.log(`\n2. List page: ${half * 2} objects created in namespace ${ns} in ${ms(performance.now() - t0)}`);

    pg = await freshPostgres("benchmesh");
    const password = `admin-${randomBytes(9).toString("base64url")}`;
    server = await startConsole({
      NODE_ENV: "production",
      DATABASE_URL: pg.appUrl,
      SWITCHYARD_SECRET: testSecret(),
      SWITCHYARD_ENCRYPTION_KEY: testSecret(),
      SWITCHYARD_ADMIN_PASSWORD: password,
      SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
      SWITCHYARD_DATA_DIR: dir,
    });
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password, source: "local" }) });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    const env = `bench-mesh-${run}`;
    const created = await fetch(`${server.url}/api/v1/environments`, {
      method: "POST",
      headers: { origin: server.url, cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: env, labels: { tier: "dev" }, kubernetes: { apiUrl, caPem, auth: "client-certificate", clientCertPem, clientKeyPem } }),
    });
    if (created.status !== 201) throw new Error(`environment not created: ${created.status} ${await created.text()}`);

    const viaConsole = async () => {
      const t = performance.now();
      const res = await fetch(`${server!.url}/api/v1/environments/${env}/mesh?namespace=${ns}`, { headers: { cookie } });
      const body = (await res.json()) as { items: unknown[] };
      if (res.status !== 200 || body.items.length !== half * 2) throw new Error(`console list: ${res.status}, ${body.items?.length} items`);
      return performance.now() - t;
    };
    const direct = async () => {
      const t = performance.now();
      // Every kind at once, each paged by 500: the same reads the console makes (lib/mesh/semantic-check.ts).
      const counts = await Promise.all(
        MESH_KINDS.map(async (k) => {
          let page = await k8s.list(k, ns, { limit: 500 });
          let seen = page.items.length;
          while (page.continue) {
            page = await k8s.list(k, ns, { limit: 500, continue: page.continue });
            seen += page.items.length;
          }
          return seen;
        }),
      );
      const n = counts.reduce((a, b) => a + b, 0);
      if (n !== half * 2) throw new Error(`direct list: ${n} items`);
      return performance.now() - t;
    };
    await viaConsole();
    await direct();
    const c: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < requests; i++) {
      if (i % 2) {
        c.push(await viaConsole());
        d.push(await direct());
      } else {
        d.push(await direct());
        c.push(await viaConsole());
      }
    }
    console.log(`   console GET …/mesh?namespace (lists, rules, badges): p50 ${ms(pct(c, 50))}, p95 ${ms(pct(c, 95))} over ${requests} requests`);
    console.log(`   direct list of the eight kinds from the API server:  p50 ${ms(pct(d, 50))}, p95 ${ms(pct(d, 95))}`);
    console.log(`   ratio console / direct at p95: ${(pct(c, 95) / pct(d, 95)).toFixed(2)}×`);

    // 3. POST …/mesh/validate: new objects judged among the namespace's live ones.
    const objects = Array.from({ length: batch }, (_, i) => {
      const host = `svc-${(i * 37) % Math.max(1, half)}`;
      return i % 2
        ? { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: `new-dr-${i}` }, spec: { host, subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v3", labels: { version: "v3" } }] } }
        : { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: `new-vs-${i}` }, spec: { hosts: [`new-${i}.example.com`], http: [{ route: [{ destination: { host, subset: "v1" }, weight: 50 }, { destination: { host, subset: "v2" }, weight: 50 }] }] } };
    });
    const validate = async () => {
      const t = performance.now();
      const res = await fetch(`${server!.url}/api/v1/environments/${env}/mesh/validate`, { method: "POST", headers: { origin: server!.url, cookie, "content-type": "application/json" }, body: JSON.stringify({ namespace: ns, objects }) });
      const body = (await res.json()) as { objects?: number; targets?: unknown[] };
      if (res.status !== 200 || body.objects !== batch || body.targets?.length !== batch) throw new Error(`console validate: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return performance.now() - t;
    };
    await validate();
    const v: number[] = [];
    const d2: number[] = [];
    for (let i = 0; i < requests; i++) {
      if (i % 2) {
        v.push(await validate());
        d2.push(await direct());
      } else {
        d2.push(await direct());
        v.push(await validate());
      }
    }
    console.log(`\n3. Validate through HTTP: ${batch} new objects judged among the ${half * 2} live objects of ${ns}`);
    console.log(`   console POST …/mesh/validate (schema, every rule):   p50 ${ms(pct(v, 50))}, p95 ${ms(pct(v, 95))} over ${requests} requests`);
    console.log(`   direct list of the eight kinds from the API server:  p50 ${ms(pct(d2, 50))}, p95 ${ms(pct(d2, 95))}`);
    console.log(`   ratio console / direct at p95: ${(pct(v, 95) / pct(d2, 95)).toFixed(2)}×`);
  } finally {
    await cleanup();
  }
}

async function main(): Promise<void> {
  validationBench(arg("pairs", 2_000), arg("policies", 500), arg("services", 10_000));
  if (!flag("validate-only")) await listBench(arg("objects", 2_000), arg("requests", 20), arg("batch", 20));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
