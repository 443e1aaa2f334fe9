/**
 * HTTP duration per route template and status for the API route wrappers (lib/http/route.ts).
 * The template comes from the route's params: each path segment that spells a param value is
 * put back as `[name]`, so `/api/v1/environments/prod/services` counts as
 * `/api/v1/environments/[name]/services` and labels stay bounded.
 */
import { logger } from "@/lib/logger";
import { observeHttp } from "@/lib/metrics/registry";
import { recordResponse } from "@/lib/metrics/record-response";

/** Who sent a request, noted by the route wrapper once the session is known (for the request log). */
const actors = new WeakMap<Request, string>();

export function noteActor(req: Request, actor: string): void {
  actors.set(req, actor);
}

type Params = Record<string, string | string[] | undefined>;

export function routeTemplate(pathname: string, params: Params | undefined): string {
  if (!params) return pathname;
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") byValue.set(value, `[${name}]`);
    else if (Array.isArray(value)) value.forEach((v) => byValue.set(v, `[...${name}]`));
  }
  const out: string[] = [];
  for (const seg of pathname.split("/")) {
    let decoded = seg;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      // a malformed escape stays as sent
    }
    const name = byValue.get(decoded);
    // Catch-all params cover several segments: one `[...name]` for all of them.
    if (name && name.startsWith("[...") && out[out.length - 1] === name) continue;
    out.push(name ?? seg);
  }
  return out.join("/");
}

/**
 * Wraps a route handler (which answers every error itself) with the duration histogram and one
 * log line per request: request id, method, route template, status, duration and actor.
 */
export function withHttpMetrics<R extends Request, C extends { params?: Promise<unknown> } | undefined>(
  handler: (req: R, ctx: C) => Promise<Response>,
): (req: R, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    const started = performance.now();
    const res = await handler(req, ctx);
    try {
      const params = (ctx?.params ? await ctx.params : undefined) as Params | undefined;
      const route = routeTemplate(new URL(req.url).pathname, params);
      const seconds = (performance.now() - started) / 1000;
      observeHttp(req.method, route, res.status, seconds);
      logger.info("request", { requestId: res.headers.get("x-request-id"), method: req.method, route, status: res.status, ms: Math.round(seconds * 1000), actor: actors.get(req) ?? null });
    } catch {
      // Metrics never fail a request.
    }
    await recordResponse(req, res).catch((e: unknown) => logger.warn("API response not recorded", { err: e }));
    return res;
  };
}
