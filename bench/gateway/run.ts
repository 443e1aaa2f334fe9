/**
 * Gateway checks benchmark — prints figures, never a pass/fail test (issue #15).
 *
 * What is timed: the SY-G checks (lib/gateway/model/checks.ts, the same code the apply flow and
 * the route page run) over 5,000 HTTPRoutes on 50 gateways, every route checked against all the
 * others (conflicts, hostnames, weights, ReferenceGrants) and every registry backend's health
 * looked up in a snapshot of a registry of 10,000 services across two zones (20,000 service ×
 * zone counts, as lib/gateway/sites.ts reads them from each zone's Nacos). The registry reads
 * themselves are not in this figure: they are the registries' own latency, cached per service.
 * Routes are generated with a seeded PRNG: 1–3 rules each, half with a site backend (one
 * backendRef per zone), 2 % deliberate conflicts, 1 % cross-namespace backends, 5 % of the
 * registry's zone instances unhealthy.
 *
 * Usage: npx tsx bench/gateway/run.ts [--routes 5000] [--gateways 50] [--services 10000] [--runs 5]
 */
import { performance } from "node:perf_hooks";
import { checkRoute, ClaimIndex, type BackendHealth, type GatewayFacts, type GrantFacts, type RouteFacts } from "@/lib/gateway/model/checks";
import { registryHost } from "@/lib/gateway/model/registries";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROUTES = arg("routes", 5000);
const GATEWAYS = arg("gateways", 50);
const SERVICES = arg("services", 10_000);
const RUNS = arg("runs", 5);
const rnd = prng(15);
const zones = ["j", "k"];

const gateways: GatewayFacts[] = Array.from({ length: GATEWAYS }, (_, g) => ({ namespace: `gw-${g % 5}`, name: `edge-${g}`, listeners: [{ name: "http", hostname: `*.app${g}.example.com` }, { name: "https", hostname: `*.app${g}.example.com` }] }));
const health = new Map<string, BackendHealth>();
for (let s = 0; s < SERVICES; s++) {
  for (const z of zones) {
    const total = 1 + Math.floor(rnd() * 6);
    const healthy = rnd() < 0.05 ? 0 : total;
    health.set(registryHost("nacos", `svc-${s}`, "DEFAULT_GROUP", `ns-${z}`), { kind: "single", health: { healthy, total } });
  }
}
const grants: GrantFacts[] = Array.from({ length: 20 }, (_, i) => ({ namespace: `team-${i}`, from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: `team-${(i + 1) % 20}` }], to: [{ group: "", kind: "Service" }] }));

const routes: RouteFacts[] = [];
for (let r = 0; r < ROUTES; r++) {
  const g = gateways[Math.floor(rnd() * GATEWAYS)]!;
  const ns = `team-${r % 20}`;
  const conflict = rnd() < 0.02 && r > 0;
  const rules: RouteFacts["rules"] = [];
  const nRules = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < nRules; i++) {
    const svc = Math.floor(rnd() * SERVICES);
    const backends = rnd() < 0.5 ? zones.map((z) => ({ group: "networking.istio.io", kind: "Hostname", name: registryHost("nacos", `svc-${svc}`, "DEFAULT_GROUP", `ns-${z}`), weight: 50 })) : [{ group: "", kind: "Service", name: `svc-${svc}`, ...(rnd() < 0.01 ? { namespace: `team-${(r + 7) % 20}` } : {}), weight: 100 }];
    rules.push({ matches: [{ path: { type: "PathPrefix", value: conflict ? "/shared" : `/r${r}/rule${i}` }, headers: rnd() < 0.3 ? [{ type: "Exact", name: "x-canary", value: "1" }] : [] }], backends });
  }
  routes.push({ type: "HTTPRoute", namespace: ns, name: `route-${r}`, parents: [{ namespace: g.namespace, name: g.name }], hostnames: [conflict ? `shared.app0.example.com` : `r${r}.app${gateways.indexOf(g)}.example.com`], rules });
}

const times: number[] = [];
let issueCount = 0;
const byRule = new Map<string, number>();
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const index = new ClaimIndex(routes);
  let n = 0;
  for (const r of routes) {
    const issues = checkRoute(r, { others: routes, gateways, grants, health: (name) => health.get(name) }, index);
    n += issues.length;
    if (run === 0) for (const i of issues) byRule.set(i.ruleId, (byRule.get(i.ruleId) ?? 0) + 1);
  }
  times.push(performance.now() - t0);
  issueCount = n;
}
times.sort((a, b) => a - b);
const f = (v: number) => v.toFixed(1);
console.log(`gateway checks: ${ROUTES} HTTPRoutes on ${GATEWAYS} gateways, registry of ${SERVICES} services × ${zones.length} zones (${health.size} health counts)`);
console.log(`full check (index + every route against all others + health), ${RUNS} runs: min ${f(times[0]!)} ms · median ${f(times[Math.floor(times.length / 2)]!)} ms · max ${f(times.at(-1)!)} ms (target ≤ 1000 ms)`);
console.log(`findings per run: ${issueCount} (${[...byRule.entries()].map(([k, v]) => `${k} ${v}`).join(", ")})`);
console.log("route-list p95 through the console vs a direct API-server list: bench/gateway/list.ts.");
