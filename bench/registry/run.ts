/**
 * Registry benchmark (prints figures; never a pass/fail test). Against the stack's real Nacos
 * and PostgreSQL:
 *   1. seeds a dedicated Nacos namespace (`bench-<stamp>`, never `public`) with S services ×
 *      M persistent instances (127.0.0.1, ports that do not listen; each service is created
 *      first and its DEFAULT cluster gets health checker NONE, so Nacos never TCP-probes the
 *      instances and they stay healthy; instance j of every service uses port 41000+j, so Nacos
 *      keeps M persistent clients, not S × M), 32 writes in flight; a marker config in the
 *      namespace records what was really seeded
 *   2. the console's service list — the real route handler GET /api/v1/environments/{name}/
 *      services, in-process, Bearer token of a real admin on a fresh PostgreSQL database (so
 *      authentication, authorization, validation and serialization are counted) — against the
 *      direct Nacos call (lib/nacos/client listServices) for the same pages (first, middle,
 *      last; pageSize 50) and searches (substrings of service names); cold (registry cache
 *      invalidated before every console request) and warm (within the 2 s cache); direct and
 *      console requests interleaved so both see the same Nacos
 * Usage: npm run bench:registry -- [--services 10000] [--instances-per 10] [--concurrency 32]
 *          [--requests 200] [--phase-seconds 120] [--seed-minutes 15] [--reuse bench-…] [--drop bench-…]
 *   --reuse NS   skip seeding; NS must hold the bench marker (an unfinished seeding is said so)
 *   --drop NS    deregister everything in a bench namespace and delete it, then exit
 * Seeding stops taking new services after --seed-minutes and says how far it got; the figures
 * are then over what was really seeded (the printout says so). On the 2-core stack machine the
 * defaults (10,000 × 10 = 100,000 instances) seed in about 2½ minutes (~750 instances/s),
 * well inside the limit. Nacos' instance counts settle a moment after the writes; the census
 * printed before the figures waits for them and is what Nacos really holds.
 * Targets (issue): console/direct p95 ≤ 1.2 (+15 ms), i.e. console ≤ 1.2 × direct + 15 ms;
 * search p95 ≤ 50 ms. A search costs Nacos itself ~30 ms at 10k services: Nacos 3.1 matches
 * every service name of the namespace against a regex it compiles per name
 * (CatalogServiceV2Impl.patternServices), so "direct" is the floor for a cold console search.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { NextRequest } from "next/server";
import { GET as servicesRoute } from "@/app/api/v1/environments/[name]/services/route";
import { setProcessDatabase } from "@/db";
import { apiTokens, roleBindings, users } from "@/db/schema";
import { actorFromToken } from "@/lib/auth/authenticate";
import { createEnvironment, resolveEnvironmentRow } from "@/lib/environments/environments";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { invalidate } from "@/lib/registry/cache";
import { listServices } from "@/lib/registry/services";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const argText = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;

const MARKER = { dataId: "switchyard-bench-registry.json", group: "SWITCHYARD_BENCH" };
const DOMAINS = ["orders", "payments", "catalog", "inventory", "shipping", "billing", "search", "profile", "checkout", "pricing", "reviews", "coupons", "ledger", "notify", "gateway", "auth"];
const FIRST_PORT = 41_000;
const PAGE_SIZE = 50;
const ENV = "bench-registry";

/** Service i's name: "<domain>-svc-<5 digits>"; "svc-0123" matches ten services, "<domain>-svc" a sixteenth. */
const serviceName = (i: number) => `${DOMAINS[i % DOMAINS.length]}-svc-${String(i).padStart(5, "0")}`;

interface Marker {
  services: number;
  instancesPerService: number;
  seededServices: number;
  instances: number;
  complete: boolean;
  seedSeconds: number;
  createdAt: string;
}

/** The few admin calls the console's client has no method for (cluster health checker, namespace delete). */
class NacosAdmin {
  #token: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly username: string,
    readonly password: string,
  ) {}
  async #login(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/v3/auth/user/login`, { method: "POST", body: new URLSearchParams({ username: this.username, password: this.password }), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`nacos login: HTTP ${res.status}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }
  async call(method: "PUT" | "DELETE" | "POST", path: string, form: Record<string, string>): Promise<unknown> {
    this.#token ??= await this.#login();
    const body = new URLSearchParams(form);
    const url = method === "DELETE" ? `${this.baseUrl}${path}?${body}` : `${this.baseUrl}${path}`;
    const res = await fetch(url, { method, headers: { accessToken: this.#token }, body: method === "DELETE" ? undefined : body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const j = (() => {
      try {
        return JSON.parse(text) as { code?: number; data?: unknown };
      } catch {
        return undefined;
      }
    })();
    if (!res.ok || j?.code !== 0) throw new Error(`nacos ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return j.data;
  }
  /** Health checker NONE on the service's DEFAULT cluster: persistent instances are not probed. */
  noHealthCheck(namespace: string, service: string): Promise<unknown> {
    return this.call("PUT", "/v3/admin/ns/cluster", { namespaceId: namespace, serviceName: service, clusterName: "DEFAULT", checkPort: "0", useInstancePort4Check: "true", healthChecker: JSON.stringify({ type: "NONE" }) });
  }
}

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight; stops taking new work after `deadline`. */
async function pool(count: number, concurrency: number, deadline: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count && performance.now() < deadline) {
        const i = next++;
        await task(i);
        done++;
      }
    }),
  );
  return done;
}

async function readMarker(direct: NacosClient, namespace: string): Promise<Marker | null> {
  const c = await direct.getConfig({ ...MARKER, namespace });
  return c ? (JSON.parse(c.content) as Marker) : null;
}

async function seed(direct: NacosClient, admin: NacosAdmin, namespace: string, services: number, perService: number, concurrency: number, minutes: number): Promise<Marker> {
  await direct.createNamespace({ id: namespace, name: namespace, description: "switchyard bench:registry (safe to delete: npm run bench:registry -- --drop <id>)" });
  const t0 = performance.now();
  const deadline = t0 + minutes * 60_000;
  let instances = 0;
  let lastPrint = t0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastPrint < 10_000) return;
    lastPrint = now;
    const s = (now - t0) / 1000;
    console.log(`  seeding: ${instances.toLocaleString()} / ${(services * perService).toLocaleString()} instances in ${s.toFixed(0)} s · ${(instances / s).toFixed(0)} instances/s`);
  };
  // One service per task: created empty, its DEFAULT cluster set to health checker NONE, then its instances.
  const register = (name: string, j: number) =>
    direct.registerInstance({ namespace, serviceName: name, ip: "127.0.0.1", port: FIRST_PORT + j, ephemeral: false, healthy: true, weight: 1 }).then(() => {
      instances++;
      progress();
    });
  // Workers take services in order, so what is seeded is always the prefix [0, seeded).
  const seeded = await pool(services, concurrency, deadline, async (i) => {
    const name = serviceName(i);
    await admin.call("POST", "/v3/admin/ns/service", { namespaceId: namespace, serviceName: name, ephemeral: "false", protectThreshold: "0" });
    await admin.noHealthCheck(namespace, name);
    for (let j = 0; j < perService; j++) await register(name, j);
  });
  progress(true);
  const marker: Marker = { services, instancesPerService: perService, seededServices: seeded, instances, complete: seeded === services, seedSeconds: Math.round((performance.now() - t0) / 1000), createdAt: new Date().toISOString() };
  await direct.publishConfig({ ...MARKER, namespace, content: JSON.stringify(marker), type: "json" });
  return marker;
}

/** Counts what Nacos really holds in the namespace; its instance counts settle shortly after writes. */
async function settledCensus(direct: NacosClient, namespace: string, expectedInstances: number) {
  let c = await census(direct, namespace);
  for (let i = 0; i < 15 && c.instances < expectedInstances; i++) {
    await new Promise((r) => setTimeout(r, 2_000));
    c = await census(direct, namespace);
  }
  return c;
}

/** Services and instances in the namespace, page by page. */
async function census(direct: NacosClient, namespace: string): Promise<{ services: number; instances: number; healthy: number }> {
  let page = 1;
  let services = 0;
  let instances = 0;
  let healthy = 0;
  for (;;) {
    const p = await direct.listServices({ namespace, page, pageSize: 500 });
    services = p.total;
    for (const s of p.items) {
      instances += s.instanceCount;
      healthy += s.healthyInstanceCount;
    }
    if (page >= p.pages || p.items.length === 0 || page >= 1_000) break;
    page++;
  }
  return { services, instances, healthy };
}

async function drop(direct: NacosClient, admin: NacosAdmin, namespace: string): Promise<void> {
  if (!/^bench-/.test(namespace)) throw new Error(`--drop only removes bench namespaces (bench-…), not ${namespace}`);
  const marker = await readMarker(direct, namespace);
  if (!marker) throw new Error(`${namespace} has no bench marker; not touching it`);
  const t0 = performance.now();
  const deadline = t0 + 30 * 60_000;
  const count = marker.seededServices;
  const done = await pool(count, 32, deadline, async (i) => {
    const name = serviceName(i);
    for (let j = 0; j < marker.instancesPerService; j++) {
      await direct.deregisterInstance({ namespace, serviceName: name, ip: "127.0.0.1", port: FIRST_PORT + j, ephemeral: false }).catch(() => undefined);
    }
    // Nacos removes an emptied service itself after a while; deleting it now frees the namespace sooner.
    await admin.call("DELETE", "/v3/admin/ns/service", { namespaceId: namespace, serviceName: name }).catch(() => undefined);
  });
  await direct.deleteConfig({ ...MARKER, namespace });
  const left = await direct.listServices({ namespace, page: 1, pageSize: 1 });
  if (left.total === 0) await admin.call("DELETE", "/v3/admin/core/namespace", { namespaceId: namespace });
  console.log(`drop ${namespace}: ${done} / ${count} services removed in ${((performance.now() - t0) / 1000).toFixed(0)} s · ${left.total} left${left.total === 0 ? " · namespace deleted" : ""}`);
}

interface Sample {
  direct: number[];
  console: number[];
}

async function main(): Promise<void> {
  const services = arg("--services", 10_000);
  const perService = arg("--instances-per", 10);
  const concurrency = arg("--concurrency", 32);
  const requests = arg("--requests", 200);
  const phaseSeconds = arg("--phase-seconds", 120);
  const seedMinutes = arg("--seed-minutes", 15);
  const reuse = argText("--reuse");
  const dropNs = argText("--drop");
  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(conn.url)) throw new Error(`the bench only talks to a Nacos on 127.0.0.1, not ${conn.url}`);
  const direct = createNacosClient({ environment: "bench-direct", baseUrl: conn.url, username: conn.username, password: conn.password, timeoutMs: 10_000 });
  const admin = new NacosAdmin(conn.url, conn.username, conn.password);
  if (dropNs) return drop(direct, admin, dropNs);

  // 1. Seeding (or reuse of a finished one).
  let namespace: string;
  let marker: Marker;
  if (reuse) {
    namespace = reuse;
    const m = await readMarker(direct, namespace);
    if (!m) throw new Error(`--reuse ${namespace}: no bench marker in that namespace (seed first)`);
    marker = m;
    console.log(`reuse ${namespace}: seeded ${marker.createdAt} with ${marker.seededServices.toLocaleString()} services × ${marker.instancesPerService} instances in ${marker.seedSeconds} s${marker.complete ? "" : ` (INCOMPLETE: asked for ${marker.services.toLocaleString()} services)`}`);
  } else {
    namespace = `bench-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
    console.log(`seeding ${namespace}: ${services.toLocaleString()} services × ${perService} persistent instances, ${concurrency} in flight, at most ${seedMinutes} min`);
    marker = await seed(direct, admin, namespace, services, perService, concurrency, seedMinutes);
    const rate = marker.instances / Math.max(1, marker.seedSeconds);
    console.log(
      `seed: ${marker.seededServices.toLocaleString()} services, ${marker.instances.toLocaleString()} instances in ${marker.seedSeconds} s · ${rate.toFixed(0)} instances/s` +
        (marker.complete ? "" : ` · STOPPED at the ${seedMinutes}-min limit: ${services.toLocaleString()} × ${perService} would take ≈ ${((services * perService) / rate / 60).toFixed(0)} min`),
    );
  }
  const real = await settledCensus(direct, namespace, marker.instances);
  console.log(`nacos holds in ${namespace}: ${real.services.toLocaleString()} services, ${real.instances.toLocaleString()} instances (${real.healthy.toLocaleString()} healthy) — the figures below are over this`);

  // 2. The console: fresh database, a real admin with a real API token, the environment through its operation.
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  const pg = await freshPostgres("bench");
  setProcessDatabase(pg.handle);
  try {
    await createEnvironment.execute(actorWithRole("admin"), { name: ENV, labels: { tier: "bench" }, registry: { kind: "nacos", ...conn, namespaces: [namespace] } }, meta());
    const userId = randomUUID();
    await pg.handle.db.insert(users).values({ id: userId, username: "bench-admin", displayName: "Bench admin", source: "local" });
    await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: userId, role: "admin", createdBy: "bench" });
    const tokenId = randomBytes(9).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    await pg.handle.db.insert(apiTokens).values({ id: tokenId, userId, name: "bench", secretHash: createHash("sha256").update(secret).digest("hex"), expiresAt: new Date(Date.now() + 3_600_000) });
    const bearer = `sy_${tokenId}_${secret}`;

    const viaDirect = async (q: { page: number; search?: string }) => {
      const t = performance.now();
      await direct.listServices({ namespace, serviceName: q.search, page: q.page, pageSize: PAGE_SIZE });
      return performance.now() - t;
    };
    const viaConsole = async (q: { page: number; search?: string }) => {
      const qs = new URLSearchParams({ namespace, page: String(q.page), pageSize: String(PAGE_SIZE), ...(q.search ? { search: q.search } : {}) });
      const t = performance.now();
      const res = await servicesRoute(new NextRequest(`http://console.bench/api/v1/environments/${ENV}/services?${qs}`, { headers: { host: "console.bench", authorization: `Bearer ${bearer}` } }), { params: Promise.resolve({ name: ENV }) });
      const body = await res.text();
      const took = performance.now() - t;
      if (res.status !== 200) throw new Error(`console answered ${res.status}: ${body.slice(0, 300)}`);
      return took;
    };

    /** Interleaves direct and console requests (alternating which goes first); bounded in count and time. */
    const phase = async (queries: Array<{ page: number; search?: string }>, cold: boolean): Promise<Sample> => {
      const out: Sample = { direct: [], console: [] };
      const deadline = performance.now() + phaseSeconds * 1000;
      for (let i = 0; i < queries.length && performance.now() < deadline; i++) {
        const q = queries[i]!;
        const c = async () => {
          if (cold) invalidate(`svc:${ENV}:`);
          out.console.push(await viaConsole(q));
        };
        const d = async () => void out.direct.push(await viaDirect(q));
        if (i % 2 === 0) {
          await d();
          await c();
        } else {
          await c();
          await d();
        }
      }
      return out;
    };

    // Warm-up: the JIT, the pg pool, the direct client's Nacos token (not counted).
    for (let i = 0; i < 20; i++) {
      invalidate(`svc:${ENV}:`);
      await viaConsole({ page: 1 });
      await viaDirect({ page: 1 });
    }

    const seededCount = real.services;
    const pages = Math.max(1, Math.ceil(seededCount / PAGE_SIZE));
    const pageKinds = [
      { label: "first", page: 1 },
      { label: "middle", page: Math.max(1, Math.ceil(pages / 2)) },
      { label: "last", page: pages },
    ];
    // Narrow searches match ten services ("svc-0123"), broad ones a sixteenth ("payments-svc").
    const narrow = (k: number) => `svc-${String(k % Math.max(1, Math.ceil(seededCount / 10))).padStart(4, "0")}`;
    const broad = (k: number) => `${DOMAINS[k % DOMAINS.length]}-svc`;
    const searches = (n: number, offset: number) => Array.from({ length: n }, (_, i) => ({ page: 1, search: i % 2 === 0 ? narrow(offset + i * 7) : broad(offset + i) }));

    const report = (label: string, s: Sample) => {
      const d50 = pct(s.direct, 50);
      const d95 = pct(s.direct, 95);
      const c50 = pct(s.console, 50);
      const c95 = pct(s.console, 95);
      const ok = c95 <= 1.2 * d95 + 15;
      console.log(
        `${label.padEnd(22)} n=${String(s.console.length).padStart(4)} · direct p50 ${ms(d50)} p95 ${ms(d95)} · console p50 ${ms(c50)} p95 ${ms(c95)} · ratio p50 ${(c50 / d50).toFixed(2)} p95 ${(c95 / d95).toFixed(2)} · overhead p50 ${ms(c50 - d50)} p95 ${ms(c95 - d95)} · ${ok ? "ok" : "MISSED"} (≤ 1.2×direct+15 ms)`,
      );
    };
    const merge = (xs: Sample[]): Sample => ({ direct: xs.flatMap((x) => x.direct), console: xs.flatMap((x) => x.console) });

    console.log(`list: pages ${pageKinds.map((p) => `${p.label}=${p.page}`).join(", ")} of ${pages} (pageSize ${PAGE_SIZE}); ≤ ${requests} requests per row and path, ≤ ${phaseSeconds} s per row`);
    const coldPages: Sample[] = [];
    for (const p of pageKinds) {
      const s = await phase(Array.from({ length: requests }, () => ({ page: p.page })), true);
      coldPages.push(s);
      report(`list cold ${p.label}`, s);
    }
    report("list cold (all pages)", merge(coldPages));
    const warmPages: Sample[] = [];
    for (const p of pageKinds) {
      const s = await phase(Array.from({ length: requests }, () => ({ page: p.page })), false);
      warmPages.push(s);
      report(`list warm ${p.label}`, s);
    }
    report("list warm (all pages)", merge(warmPages));

    // Searches: cold = a new substring each time (and the cache invalidated); warm = a few repeated ones.
    const searchCold = await phase(searches(requests, 0), true);
    report("search cold", searchCold);
    const few = searches(4, 1);
    const searchWarm = await phase(Array.from({ length: requests }, (_, i) => few[i % few.length]!), false);
    report("search warm", searchWarm);

    // Where a cold console request spends its time (first page, cache invalidated): the same steps the handler takes.
    const actor = await actorFromToken(bearer);
    if (!actor) throw new Error("the bench token does not authenticate");
    const steps: Array<[string, () => Promise<unknown>]> = [
      ["authenticate (token + grants)", () => actorFromToken(bearer)],
      ["environment row + scope", () => resolveEnvironmentRow(actor, ENV, "environment.read")],
      ["lib listServices (env + Nacos)", () => (invalidate(`svc:${ENV}:`), listServices(actor, ENV, { namespace, page: 1, pageSize: PAGE_SIZE }))],
      ["Nacos call alone (direct)", () => viaDirect({ page: 1 })],
      ["whole route handler", () => (invalidate(`svc:${ENV}:`), viaConsole({ page: 1 }))],
    ];
    const breakdown: string[] = [];
    for (const [label, step] of steps) {
      const t: number[] = [];
      const deadline = performance.now() + phaseSeconds * 1000;
      for (let i = 0; i < requests && performance.now() < deadline; i++) {
        const a = performance.now();
        await step();
        t.push(performance.now() - a);
      }
      breakdown.push(`${label} p50 ${ms(pct(t, 50))} p95 ${ms(pct(t, 95))}`);
    }
    console.log(`cold request breakdown (n=${requests} each, sequential): ${breakdown.join(" · ")}`);

    const listAll = merge(coldPages);
    const sc95 = pct(searchCold.console, 95);
    console.log(
      `summary over ${real.services.toLocaleString()} services / ${real.instances.toLocaleString()} instances: list cold p95 console ${ms(pct(listAll.console, 95))} vs direct ${ms(pct(listAll.direct, 95))} (ratio ${(pct(listAll.console, 95) / pct(listAll.direct, 95)).toFixed(2)}) · search p95 console cold ${ms(sc95)}, warm ${ms(pct(searchWarm.console, 95))}, direct ${ms(pct(searchCold.direct, 95))} · target search p95 ≤ 50 ms: ${sc95 <= 50 ? "ok" : "MISSED"}`,
    );
    console.log(`namespace ${namespace} kept: rerun with --reuse ${namespace}; remove with --drop ${namespace}`);
  } finally {
    await pg.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
