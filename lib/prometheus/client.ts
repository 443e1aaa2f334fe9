import "server-only";
/**
 * The one typed HTTP client for Prometheus' query API (v1). Built from an environment record
 * (lib/prometheus/connect.ts), never from request parameters; reads only. Every call has a
 * deadline covering connect and body, every answer is checked with zod, and every failure is
 * an UpstreamError naming Prometheus and the environment. Connections resolve and check their
 * address each time (docs/security.md §30).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { z } from "zod";
import { UpstreamError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { checkLiteralHost, guardedLookup, nonPublicAddressCause, type ConnectOptions, type GuardTarget } from "@/lib/net/guarded-lookup";
import { observeUpstream } from "@/lib/metrics/registry";

const DEFAULT_TIMEOUT_MS = 5_000;
/** Answers larger than this are refused: a query that selects too much is the caller's bug. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface PrometheusConnection {
  environment: string;
  baseUrl: string;
  timeoutMs?: number;
}

const Sample = z.tuple([z.number(), z.string()]);

export const PromVector = z.array(z.object({ metric: z.record(z.string(), z.string()), value: Sample }));
export type PromVector = z.infer<typeof PromVector>;

export const PromMatrix = z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(Sample) }));
export type PromMatrix = z.infer<typeof PromMatrix>;

const Envelope = z.object({
  status: z.enum(["success", "error"]),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

const QueryData = z.object({ resultType: z.string(), result: z.unknown() });

const BuildInfo = z.object({ version: z.string() });

export interface PrometheusClient {
  readonly environment: string;
  /** Instant query at `time` (seconds since the epoch). */
  query(promql: string, time: number): Promise<PromVector>;
  /** Range query; `step` in seconds. */
  queryRange(promql: string, start: number, end: number, step: number): Promise<PromMatrix>;
  /** The server's version, for the environment's connection test. */
  ping(): Promise<{ version: string }>;
}

export function createPrometheusClient(conn: PrometheusConnection, options: ConnectOptions = {}): PrometheusClient {
  const base = new URL(conn.baseUrl.replace(/\/+$/, "") + "/");
  const timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const guard: GuardTarget | undefined = options.guardAddresses ? { system: "prometheus", environment: conn.environment } : undefined;
  const lookup: LookupFunction | undefined = guard && guardedLookup(guard);
  const agentOptions = { keepAlive: true, timeout: 4_000 };
  const agent = base.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);

  function networkError(op: string, e: unknown): UpstreamError {
    const refused = nonPublicAddressCause(e);
    if (refused) return refused;
    const name = e instanceof Error ? e.name : "";
    const code = (e as { code?: string } | null)?.code ?? (e instanceof Error ? (e.cause as { code?: string } | undefined)?.code : undefined);
    if (name === "TimeoutError" || name === "AbortError") {
      return new UpstreamError("UPSTREAM_TIMEOUT", "prometheus", `${op}: Prometheus at ${base.host} did not answer within ${timeoutMs} ms`, { environment: conn.environment, cause: e });
    }
    return new UpstreamError("UPSTREAM_UNAVAILABLE", "prometheus", `${op}: cannot reach Prometheus at ${base.host} (${code ?? (name || "network error")})`, {
      environment: conn.environment,
      cause: e,
    });
  }

  function rejected(op: string, detail: string): UpstreamError {
    // Prometheus' own words go to the server log; the user sees the plain default naming the system.
    return new UpstreamError("UPSTREAM_REJECTED", "prometheus", `${op}: ${detail}`, { environment: conn.environment });
  }

  /** One GET; never follows redirects; the deadline covers connecting and the whole body. */
  function transmit(url: URL): Promise<{ status: number; text: string }> {
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const fail = (e: unknown) => reject(signal.aborted ? signal.reason : e);
      const req = (url.protocol === "https:" ? https : http).request(url, { method: "GET", headers: { Accept: "application/json" }, agent, signal, ...(lookup ? { lookup } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(Object.assign(new Error("answer too large"), { code: "E2BIG" }));
          else chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("close", () => {
          if (!res.complete) fail(Object.assign(new Error("connection closed mid-response"), { code: "ECONNRESET" }));
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", fail);
      req.end();
    });
  }

  async function call(op: string, path: string, params: Record<string, string>): Promise<unknown> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const started = performance.now();
    let res: { status: number; text: string };
    try {
      if (guard) checkLiteralHost(url.hostname, guard);
      res = await transmit(url);
    } catch (e) {
      observeUpstream("prometheus", conn.environment, started, false);
      throw networkError(op, e);
    }
    observeUpstream("prometheus", conn.environment, started, res.status < 500);
    logger.debug("prometheus call", { environment: conn.environment, op, path, status: res.status, ms: Math.round(performance.now() - started) });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw rejected(op, `HTTP ${res.status}, not JSON (is the URL Prometheus' base URL?)`);
    }
    const env = Envelope.safeParse(body);
    if (!env.success) throw rejected(op, `HTTP ${res.status}, unexpected answer shape`);
    if (res.status < 200 || res.status >= 300 || env.data.status !== "success") {
      throw rejected(op, `HTTP ${res.status}: ${env.data.errorType ?? "error"}: ${env.data.error ?? ""}`);
    }
    return env.data.data;
  }

  function parse<S extends z.ZodType>(op: string, data: unknown, resultType: string, schema: S): z.output<S> {
    const d = QueryData.safeParse(data);
    if (!d.success || d.data.resultType !== resultType) throw rejected(op, `expected a ${resultType}`);
    const r = schema.safeParse(d.data.result);
    if (!r.success) throw rejected(op, `unexpected ${resultType} shape`);
    return r.data;
  }

  return {
    environment: conn.environment,
    async query(promql, time) {
      return parse("query", await call("query", "api/v1/query", { query: promql, time: String(time) }), "vector", PromVector);
    },
    async queryRange(promql, start, end, step) {
      return parse("query range", await call("query range", "api/v1/query_range", { query: promql, start: String(start), end: String(end), step: String(step) }), "matrix", PromMatrix);
    },
    async ping() {
      const r = BuildInfo.safeParse(await call("build info", "api/v1/status/buildinfo", {}));
      if (!r.success) throw rejected("build info", "unexpected answer shape");
      return r.data;
    },
  };
}
