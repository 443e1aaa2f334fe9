/**
 * RFC 9457 problem+json responses. Unexpected errors are logged with an id and the client
 * sees a plain message and that id, never a stack trace or a backend's raw answer.
 */
import { randomUUID } from "node:crypto";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

const TITLES: Record<string, string> = {
  UNAUTHENTICATED: "Not signed in",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
  VALIDATION: "Invalid input",
  RATE_LIMITED: "Too many requests",
  UPSTREAM_UNAVAILABLE: "Backend unreachable",
  UPSTREAM_TIMEOUT: "Backend timed out",
  UPSTREAM_REJECTED: "Backend refused",
  SERVICE_UNAVAILABLE: "Service unavailable",
  INTERNAL: "Internal error",
  UNPROCESSABLE: "Unprocessable",
};

export function problemFor(error: unknown, requestId: string, instance?: string): { status: number; body: Problem; headers: Record<string, string> } {
  const known: AppError = isAppError(error) ? error : new AppError("INTERNAL", "unexpected error", { cause: error });
  const level = known.status >= 500 ? "error" : "info";
  logger[level]("request failed", {
    requestId,
    code: known.code,
    status: known.status,
    instance,
    err: isAppError(error) ? { message: error.message, cause: error.cause } : error,
  });
  const body: Problem = {
    type: `/problems/${known.code.toLowerCase().replace(/_/g, "-")}`,
    title: TITLES[known.code] ?? "Error",
    status: known.status,
    code: known.code,
    detail: known.userMessage,
    requestId,
    ...(instance ? { instance } : {}),
    ...(known.fields.length ? { errors: known.fields } : {}),
    ...(known.details ?? {}),
  };
  const headers: Record<string, string> = { "content-type": "application/problem+json", "x-request-id": requestId, "cache-control": "no-store" };
  if (known.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(known.retryAfterSeconds);
    body.retryAfter = known.retryAfterSeconds;
  }
  return { status: known.status, body, headers };
}

export function problemResponse(error: unknown, requestId: string = randomUUID(), instance?: string): Response {
  const p = problemFor(error, requestId, instance);
  return new Response(JSON.stringify(p.body), { status: p.status, headers: p.headers });
}
