/**
 * Golden signals of an environment, a namespace or one service from the environment's
 * Prometheus: request rate, 5xx ratio, p50 and p99 latency over 1h/6h/24h/7d, in total and per
 * zone when the series carry a zone label, each with the PromQL that produced it.
 * Who may: service.read in the environment and namespace; figures over a whole environment
 * need a grant over every namespace (docs/security.md §42). 404 outside scope.
 */
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import type { PromMatrix } from "@/lib/prometheus/client";
import { prometheusClientFor } from "@/lib/prometheus/connect";
import { cachedRead } from "@/lib/registry/cache";
import { RANGE_SPEC, SIGNALS, signalQueries, ZONE_LABEL, type Range, type Signal, type SignalsInput } from "@/lib/overview/queries";

/** [seconds since the epoch, value]; null where Prometheus has no number (0/0, no traffic). */
export type Point = [number, number | null];

export interface SignalSeries {
  /** The value at the end of the range (the last rate window), null when there is none. */
  now: number | null;
  points: Point[];
}

export interface SignalView {
  promql: string;
  promqlByZone: string;
  total: SignalSeries;
  zones: Array<{ zone: string } & SignalSeries>;
}

export type GoldenSignals =
  | { environment: string; configured: false }
  | {
      environment: string;
      configured: true;
      range: Range;
      start: number;
      end: number;
      step: number;
      window: string;
      filter: { service?: string; namespace?: string };
      zoneLabel: string;
      signals: Record<Signal, SignalView>;
    };

const CACHE_MS = 10_000;

function toNumber(v: string): number | null {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function series(m: PromMatrix[number] | undefined, end: number): SignalSeries {
  const points: Point[] = (m?.values ?? []).map(([t, v]) => [t, toNumber(v)]);
  const last = points.at(-1);
  return { now: last && last[0] === end ? last[1] : null, points };
}

export async function goldenSignals(actor: Actor, environment: string, input: SignalsInput): Promise<GoldenSignals> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  // "*" as the namespace: only a grant whose pattern covers every namespace matches it, so
  // traffic of namespaces outside the caller's scope never shows up summed into a total.
  const scope = { environment: { name: row.name, labels: row.labels }, namespace: input.namespace ?? "*" };
  if (!decide(actor.grants, "service.read", scope)) throw new AppError("NOT_FOUND", `signals of ${input.namespace ?? "every namespace"} not visible in ${row.name}`);
  const client = prometheusClientFor(row);
  if (!client) return { environment: row.name, configured: false };
  const spec = RANGE_SPEC[input.range];
  const end = Math.floor(Date.now() / 1000 / 10) * 10;
  const start = end - spec.seconds;
  const filter = { service: input.service, namespace: input.namespace };
  const total = signalQueries(filter, spec.window, false);
  const zoned = signalQueries(filter, spec.window, true);
  const key = `prom:${row.id}:${row.version}:${input.range}:${input.service ?? ""}:${input.namespace ?? ""}:${end}`;
  return cachedRead(key, CACHE_MS, async () => {
    const results = await Promise.all(
      SIGNALS.flatMap((s) => [client.queryRange(total[s], start, end, spec.step), client.queryRange(zoned[s], start, end, spec.step)]),
    );
    const signals = Object.fromEntries(
      SIGNALS.map((s, i) => {
        const zones = results[i * 2 + 1]!
          .filter((m) => m.metric[ZONE_LABEL])
          .map((m) => ({ zone: m.metric[ZONE_LABEL]!, ...series(m, end) }))
          .sort((a, b) => a.zone.localeCompare(b.zone));
        return [s, { promql: total[s], promqlByZone: zoned[s], total: series(results[i * 2]![0], end), zones }];
      }),
    ) as Record<Signal, SignalView>;
    return { environment: row.name, configured: true as const, range: input.range, start, end, step: spec.step, window: spec.window, filter, zoneLabel: ZONE_LABEL, signals };
  });
}
