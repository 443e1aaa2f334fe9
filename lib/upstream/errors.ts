/**
 * Helpers every backend client shares (Nacos over HTTP, ZooKeeper over its own protocol,
 * Kubernetes): a deadline for a call, telling a timeout from other network failures, and the
 * UpstreamError each becomes — 504 for a timeout, 502 for an unreachable backend, both naming
 * the system and the environment (docs/architecture.md, Errors).
 */
import { UpstreamError, type AppErrorOptions } from "@/lib/errors";

export type UpstreamSystem = ConstructorParameters<typeof UpstreamError>[1];

interface Where {
  system: UpstreamSystem;
  environment?: string;
}

/** The backend did not answer within `ms`: 504 naming the system. */
export function upstreamTimeout(where: Where, what: string, ms: number, options: AppErrorOptions = {}): UpstreamError {
  return new UpstreamError("UPSTREAM_TIMEOUT", where.system, `${what} did not answer within ${ms} ms`, { ...options, environment: where.environment });
}

/** The backend cannot be reached (refused, reset, no route, session lost): 502 naming the system. */
export function upstreamUnavailable(where: Where, message: string, options: AppErrorOptions = {}): UpstreamError {
  return new UpstreamError("UPSTREAM_UNAVAILABLE", where.system, message, { ...options, environment: where.environment });
}

/** The low-level code of a network failure (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, …), also when wrapped as `cause`. */
export function networkCode(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/** True for an expired deadline (AbortSignal.timeout, an abort) or a socket/undici timeout. */
export function isTimeoutError(e: unknown): boolean {
  const name = e instanceof Error ? e.name : "";
  return name === "TimeoutError" || name === "AbortError" || TIMEOUT_CODES.has(networkCode(e) ?? "");
}

/**
 * A deadline to race calls against: `promise` rejects with `onTimeout()` after `ms`; `clear()`
 * stops the timer (always call it, in a finally). For clients without a signal of their own.
 */
export function deadline(ms: number, onTimeout: () => Error): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // Nobody may be awaiting it when another racer wins first; never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, clear: () => clearTimeout(timer) };
}
