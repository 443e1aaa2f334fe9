/**
 * The PromQL behind the golden signals (pure; unit-tested in queries.test.ts). Istio's standard
 * metrics, as seen by the destination's proxy (reporter="destination", counted once per request):
 * request rate and 5xx ratio from istio_requests_total, p50/p99 latency from
 * istio_request_duration_milliseconds_bucket. Label values enter PromQL only after the input
 * schema admitted them and escaped here, so a filter can never become a second selector.
 */
import { z } from "zod";
import { RANGES, type Range } from "@/lib/overview/keys";

export { RANGES, type Range };

/** Length of the range, step between points and the rate() window, in seconds. */
export const RANGE_SPEC: Record<Range, { seconds: number; step: number; window: string }> = {
  "1h": { seconds: 3_600, step: 60, window: "1m" },
  "6h": { seconds: 21_600, step: 300, window: "5m" },
  "24h": { seconds: 86_400, step: 900, window: "15m" },
  "7d": { seconds: 604_800, step: 3_600, window: "1h" },
};

/** The label that carries the zone on the series (added by the mesh's telemetry config). */
export const ZONE_LABEL = "zone";

/** Kubernetes names (RFC 1123 labels), as Istio reports destination services and namespaces. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const SignalsInput = z.object({
  range: z.enum(RANGES).default("1h"),
  service: z.string().regex(K8S_NAME, "must be a Kubernetes service name").optional(),
  namespace: z.string().regex(K8S_NAME, "must be a Kubernetes namespace").optional(),
});
export type SignalsInput = z.infer<typeof SignalsInput>;

export const SIGNALS = ["requestRate", "errorRatio", "p50", "p99"] as const;
export type Signal = (typeof SIGNALS)[number];

function quote(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function selector(filter: { service?: string; namespace?: string }, extra = ""): string {
  const terms = [`reporter="destination"`];
  if (filter.namespace) terms.push(`destination_service_namespace=${quote(filter.namespace)}`);
  if (filter.service) terms.push(`destination_service_name=${quote(filter.service)}`);
  if (extra) terms.push(extra);
  return `{${terms.join(", ")}}`;
}

/** The four signals' PromQL; `byZone` splits each by the zone label. */
export function signalQueries(filter: { service?: string; namespace?: string }, window: string, byZone: boolean): Record<Signal, string> {
  const by = byZone ? ` by (${ZONE_LABEL})` : "";
  const all = `sum${by} (rate(istio_requests_total${selector(filter)}[${window}]))`;
  const errors = `sum${by} (rate(istio_requests_total${selector(filter, `response_code=~"5.."`)}[${window}]))`;
  // A zone (or the whole) without any 5xx series has ratio 0, not "no data".
  const errorsOrZero = byZone ? `(${errors} or 0 * ${all})` : `(${errors} or vector(0))`;
  const quantile = (q: number) =>
    `histogram_quantile(${q}, sum by (le${byZone ? `, ${ZONE_LABEL}` : ""}) (rate(istio_request_duration_milliseconds_bucket${selector(filter)}[${window}])))`;
  return { requestRate: all, errorRatio: `${errorsOrZero} / ${all}`, p50: quantile(0.5), p99: quantile(0.99) };
}
