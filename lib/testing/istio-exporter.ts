/**
 * A small exporter serving Istio's standard request metrics with KNOWN values, scraped by the
 * stack's real Prometheus (scripts/stack/prometheus.sh): it listens on a free loopback port and
 * announces itself as a file_sd target in $SWITCHYARD_TEST_PROMETHEUS_TARGETS/<id>.json, which
 * Prometheus picks up within a second; `close()` removes the file and stops the server.
 *
 * Counters grow linearly with the exporter's clock (value = rate × seconds since an origin an
 * hour back), so every rate over any window of scraped samples is the configured rate, and
 * every histogram bucket grows by `rate × share(le)`: the quantiles follow from the shares.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { peerEnv } from "@/lib/testing/peers";

/** Upper bounds (ms) of istio_request_duration_milliseconds buckets, as Istio ships them (trimmed). */
export const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000] as const;

export interface ZoneTraffic {
  zone: string;
  /** Requests per second by response code, e.g. { "200": 9, "503": 1 }. */
  rates: Record<string, number>;
  /** Cumulative share of requests at or below each bucket bound (same order as BUCKETS); +Inf is 1. */
  shares: readonly number[];
}

export interface ServiceTraffic {
  service: string;
  namespace: string;
  zones: ZoneTraffic[];
}

export interface IstioExporter {
  url: string;
  /** Labels every series carries from Prometheus' side (job, instance) — for direct queries. */
  instance: string;
  close(): Promise<void>;
}

function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(l: Record<string, string>): string {
  return `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(",")}}`;
}

/** The exposition text at `now` (ms). Exported for the unit test of the shapes. */
export function exposition(traffic: readonly ServiceTraffic[], origin: number, now: number): string {
  const secs = (now - origin) / 1000;
  const out: string[] = [
    "# HELP istio_requests_total Total requests.",
    "# TYPE istio_requests_total counter",
  ];
  const hist: string[] = [
    "# HELP istio_request_duration_milliseconds Request duration.",
    "# TYPE istio_request_duration_milliseconds histogram",
  ];
  for (const s of traffic) {
    for (const z of s.zones) {
      const base = {
        reporter: "destination",
        destination_service: `${s.service}.${s.namespace}.svc.cluster.local`,
        destination_service_name: s.service,
        destination_service_namespace: s.namespace,
        destination_workload: `${s.service}-v1`,
        zone: z.zone,
      };
      for (const [code, rate] of Object.entries(z.rates)) {
        out.push(`istio_requests_total${labels({ ...base, response_code: code })} ${rate * secs}`);
        BUCKETS.forEach((le, i) => hist.push(`istio_request_duration_milliseconds_bucket${labels({ ...base, response_code: code, le: String(le) })} ${rate * z.shares[i]! * secs}`));
        hist.push(`istio_request_duration_milliseconds_bucket${labels({ ...base, response_code: code, le: "+Inf" })} ${rate * secs}`);
        hist.push(`istio_request_duration_milliseconds_count${labels({ ...base, response_code: code })} ${rate * secs}`);
      }
    }
  }
  return [...out, ...hist, ""].join("\n");
}

/** Starts the exporter and registers it with the stack's Prometheus. */
export async function startIstioExporter(id: string, traffic: readonly ServiceTraffic[]): Promise<IstioExporter> {
  const targets = peerEnv("prometheus", "PROMETHEUS_TARGETS");
  const origin = Date.now() - 3_600_000;
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(exposition(traffic, origin, Date.now()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const instance = `127.0.0.1:${port}`;
  const file = path.join(targets, `${id}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify([{ targets: [instance], labels: { exporter: id } }]));
  fs.renameSync(`${file}.tmp`, file);
  return {
    url: `http://${instance}/metrics`,
    instance,
    async close() {
      fs.rmSync(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
