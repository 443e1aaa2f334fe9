/**
 * Golden signals against the stack's real Prometheus, scraping an exporter this test starts
 * with known traffic (lib/testing/istio-exporter.ts). The console's request rate, 5xx ratio and
 * p50/p99 — in total and per zone — must equal what this test computes itself from the raw
 * samples Prometheus stored (no PromQL functions: differences of the counters over the same
 * window, and the bucket interpolation written out here), and the values the exporter was
 * configured with. Scope, "not configured", a refused and a silent Prometheus are checked too.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { isAppError, UpstreamError } from "@/lib/errors";
import { goldenSignals } from "@/lib/overview/golden-signals";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { BUCKETS, startIstioExporter, type IstioExporter, type ServiceTraffic } from "@/lib/testing/istio-exporter";
import { peerEnv } from "@/lib/testing/peers";

const run = randomBytes(3).toString("hex");
const svc = `orders-${run}`;
const ns = `shop-${run}`;
const SHARES_A = [0.2, 0.4, 0.7, 0.9, 0.96, 1, 1, 1];
const SHARES_B = [0.1, 0.2, 0.4, 0.6, 0.8, 0.95, 1, 1];
const TRAFFIC: ServiceTraffic[] = [
  {
    service: svc,
    namespace: ns,
    zones: [
      { zone: "zone-a", rates: { "200": 9, "503": 1 }, shares: SHARES_A },
      { zone: "zone-b", rates: { "200": 4, "500": 1 }, shares: SHARES_B },
    ],
  },
  // Another service in the same namespace: filtered out of the service's figures.
  { service: `noise-${run}`, namespace: ns, zones: [{ zone: "zone-a", rates: { "200": 100, "404": 7 }, shares: [1, 1, 1, 1, 1, 1, 1, 1] }] },
];

let pg: PostgresFixture;
let exporter: IstioExporter;
let refused: FaultProxy;
let silent: FaultProxy;
const admin = actorWithRole("admin");
const promUrl = peerEnv("prometheus", "PROMETHEUS_URL");

async function promQuery(query: string, time: number): Promise<Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }>> {
  const url = new URL("/api/v1/query", promUrl);
  url.searchParams.set("query", query);
  url.searchParams.set("time", String(time));
  const body = (await (await fetch(url)).json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }> } };
  expect(body.status).toBe("success");
  return body.data.result;
}

/** Per-second increase of each raw series over (end − 60 s, end]: (last − first) / (t_last − t_first). */
async function rawRates(metric: string, match: string, end: number): Promise<Array<{ metric: Record<string, string>; rate: number }>> {
  const result = await promQuery(`${metric}{${match}}[1m]`, end);
  return result.map((r) => {
    const v = r.values!;
    const [t0, a] = v[0]!;
    const [t1, b] = v.at(-1)!;
    return { metric: r.metric, rate: (Number(b) - Number(a)) / (t1 - t0) };
  });
}

/** Prometheus' bucket interpolation, written out: first bucket reaching the rank, linear inside it. */
function quantile(q: number, buckets: Map<number, number>): number {
  const les = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity)!;
  const rank = q * total;
  for (let i = 0; i < les.length; i++) {
    const count = buckets.get(les[i]!)!;
    if (count >= rank) {
      if (les[i] === Infinity) return les[i - 1]!;
      const lower = i === 0 ? 0 : les[i - 1]!;
      const below = i === 0 ? 0 : buckets.get(les[i - 1]!)!;
      return lower + (les[i]! - lower) * ((rank - below) / (count - below));
    }
  }
  throw new Error("no bucket reaches the rank");
}

interface Independent {
  rate: number;
  errorRatio: number;
  p50: number;
  p99: number;
}

async function independent(end: number, zone?: string): Promise<Independent> {
  const match = `reporter="destination",destination_service_name="${svc}"${zone ? `,zone="${zone}"` : ""}`;
  const requests = await rawRates("istio_requests_total", match, end);
  const rate = requests.reduce((n, r) => n + r.rate, 0);
  const errors = requests.filter((r) => r.metric.response_code!.startsWith("5")).reduce((n, r) => n + r.rate, 0);
  const buckets = new Map<number, number>();
  for (const b of await rawRates("istio_request_duration_milliseconds_bucket", match, end)) {
    const le = b.metric.le === "+Inf" ? Infinity : Number(b.metric.le);
    buckets.set(le, (buckets.get(le) ?? 0) + b.rate);
  }
  return { rate, errorRatio: errors / rate, p50: quantile(0.5, buckets), p99: quantile(0.99, buckets) };
}

function close(actual: number | null | undefined, expected: number, relative = 1e-3): void {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative);
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  process.env.SWITCHYARD_PROMETHEUS_TIMEOUT_MS = "1500";
  pg = await freshPostgres("signals");
  setProcessDatabase(pg.handle);
  exporter = await startIstioExporter(`signals-${run}`, TRAFFIC);
  const target = new URL(promUrl);
  refused = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, "refuse");
  silent = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, "blackhole");
  await createEnvironment.execute(admin, { name: "mesh-prod", labels: { tier: "prod" }, prometheusUrl: promUrl }, meta());
  await createEnvironment.execute(admin, { name: "mesh-plain", labels: { tier: "prod" } }, meta());
  await createEnvironment.execute(admin, { name: "mesh-refused", labels: { tier: "prod" }, prometheusUrl: refused.url() }, meta());
  await createEnvironment.execute(admin, { name: "mesh-silent", labels: { tier: "prod" }, prometheusUrl: silent.url() }, meta());
});

afterAll(async () => {
  await exporter?.close();
  await refused?.close();
  await silent?.close();
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  delete process.env.SWITCHYARD_PROMETHEUS_TIMEOUT_MS;
  await pg?.drop();
});

describe("golden signals from the real Prometheus", () => {
  it("an environment without a Prometheus URL says so instead of failing", async () => {
    expect(await goldenSignals(admin, "mesh-plain", { range: "1h" })).toEqual({ environment: "mesh-plain", configured: false });
  });

  it("scope: a namespace outside the grant, and the environment-wide total for a namespace-scoped role, are not found", async () => {
    const scoped = actorWithRole("viewer", { ns: "team-*" });
    const notFound = async (p: Promise<unknown>) => {
      const e: unknown = await p.then(() => null, (x: unknown) => x);
      expect(isAppError(e) && e.code).toBe("NOT_FOUND");
    };
    await notFound(goldenSignals(scoped, "mesh-prod", { range: "1h", namespace: ns }));
    await notFound(goldenSignals(scoped, "mesh-prod", { range: "1h" }));
    await notFound(goldenSignals(actorWithRole("viewer", { env: "tier=dev" }), "mesh-prod", { range: "1h", namespace: ns }));
    // In scope, the namespace itself is readable (no data needed for that).
    const ok = await goldenSignals(actorWithRole("viewer", { ns: "shop-*" }), "mesh-prod", { range: "1h", namespace: ns });
    expect(ok.configured).toBe(true);
  });

  it("a refused and a silent Prometheus: 502 and 504 naming Prometheus and the environment", async () => {
    const down: unknown = await goldenSignals(admin, "mesh-refused", { range: "1h", service: svc }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(UpstreamError);
    expect((down as UpstreamError).status).toBe(502);
    expect((down as UpstreamError).system).toBe("prometheus");
    expect((down as UpstreamError).userMessage).toBe("Prometheus in environment mesh-refused is unreachable.");
    const slow: unknown = await goldenSignals(admin, "mesh-silent", { range: "1h", service: svc }).catch((e: unknown) => e);
    expect((slow as UpstreamError).status).toBe(504);
    expect((slow as UpstreamError).userMessage).toBe("Prometheus in environment mesh-silent did not answer in time.");
  });

  it("rate, 5xx ratio, p50 and p99 — total and per zone — equal the raw samples' and the exporter's known values", async () => {
    // Wait (bounded) until Prometheus holds more than a rate window of samples before the newest point.
    const probe = `count_over_time(istio_requests_total{destination_service_name="${svc}",zone="zone-a",response_code="200"}[80s])`;
    for (let i = 0; i < 240; i++) {
      const r = await promQuery(probe, Date.now() / 1000);
      if (Number(r[0]?.value?.[1] ?? 0) >= 74) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    const view = await goldenSignals(admin, "mesh-prod", { range: "1h", service: svc, namespace: ns });
    if (!view.configured) throw new Error("expected a configured environment");
    expect(view).toMatchObject({ range: "1h", step: 60, window: "1m", zoneLabel: "zone" });
    expect(view.signals.requestRate.promql).toContain(`destination_service_name="${svc}"`);
    expect(view.signals.p99.promql).toContain("histogram_quantile(0.99");

    const mine = await independent(view.end);
    close(view.signals.requestRate.total.now, mine.rate);
    close(view.signals.errorRatio.total.now, mine.errorRatio);
    close(view.signals.p50.total.now, mine.p50);
    close(view.signals.p99.total.now, mine.p99);
    // The exporter's configuration: 15 req/s, 2 of them 5xx; the noise service is not counted.
    close(mine.rate, 15, 5e-3);
    close(mine.errorRatio, 2 / 15, 5e-3);

    expect(view.signals.requestRate.zones.map((z) => z.zone)).toEqual(["zone-a", "zone-b"]);
    const known = { "zone-a": { rate: 10, errorRatio: 0.1, p50: 15, p99: 212.5 }, "zone-b": { rate: 5, errorRatio: 0.2, p50: 37.5, p99: 450 } } as const;
    for (const zone of ["zone-a", "zone-b"] as const) {
      const ind = await independent(view.end, zone);
      const at = (s: "requestRate" | "errorRatio" | "p50" | "p99") => view.signals[s].zones.find((z) => z.zone === zone)?.now;
      close(at("requestRate"), ind.rate);
      close(at("errorRatio"), ind.errorRatio);
      close(at("p50"), ind.p50);
      close(at("p99"), ind.p99);
      close(ind.rate, known[zone].rate, 5e-3);
      close(ind.errorRatio, known[zone].errorRatio, 5e-3);
      close(ind.p50, known[zone].p50, 5e-3);
      close(ind.p99, known[zone].p99, 5e-3);
    }
    expect(BUCKETS).toHaveLength(SHARES_A.length);
  });
});
