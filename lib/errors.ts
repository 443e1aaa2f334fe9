/**
 * Typed errors with stable codes. Route handlers turn them into RFC 9457 problem+json
 * (lib/http/problem.ts); the `message` is for the server log, `userMessage` for people.
 */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "VALIDATION",
  "RATE_LIMITED",
  "UPSTREAM_UNAVAILABLE",
  "UPSTREAM_TIMEOUT",
  "UPSTREAM_REJECTED",
  "SERVICE_UNAVAILABLE",
  "INTERNAL",
  /** Well-formed input that cannot be carried out as a whole (e.g. an import under policy abort naming its invalid items). */
  "UNPROCESSABLE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION: 400,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_REJECTED: 502,
  // The console's own dependencies (database, audit log, LDAP) are down: 503, never a 500.
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  UNPROCESSABLE: 422,
};

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "metadata.version". */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  userMessage?: string;
  fields?: FieldIssue[];
  /** Extra, non-secret facts for the client (e.g. the current version on a conflict). */
  details?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly fields: FieldIssue[];
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? defaultUserMessage(code);
    this.fields = options.fields ?? [];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** The systems the console talks to; an upstream error always names one. */
export type UpstreamSystem = "nacos" | "zookeeper" | "kubernetes" | "ldap" | "database" | "audit" | "prometheus";

/** A backend failed or refused. Names the system and, where known, the environment. */
export class UpstreamError extends AppError {
  readonly system: UpstreamSystem;
  readonly environment: string | undefined;

  constructor(
    code: Extract<ErrorCode, "UPSTREAM_UNAVAILABLE" | "UPSTREAM_TIMEOUT" | "UPSTREAM_REJECTED" | "SERVICE_UNAVAILABLE" | "CONFLICT" | "NOT_FOUND">,
    system: UpstreamSystem,
    message: string,
    options: AppErrorOptions & { environment?: string } = {},
  ) {
    const where = options.environment ? ` in environment ${options.environment}` : "";
    super(code, message, {
      ...options,
      userMessage: options.userMessage ?? upstreamUserMessage(code, system, where),
      details: { ...options.details, system, ...(options.environment ? { environment: options.environment } : {}) },
    });
    this.name = "UpstreamError";
    this.system = system;
    this.environment = options.environment;
  }
}

const SYSTEM_NAMES: Record<UpstreamSystem, string> = {
  nacos: "Nacos",
  zookeeper: "ZooKeeper",
  kubernetes: "Kubernetes",
  ldap: "LDAP",
  database: "the console database",
  audit: "the audit log",
  prometheus: "Prometheus",
};

function upstreamUserMessage(code: ErrorCode, system: UpstreamSystem, where: string): string {
  const name = SYSTEM_NAMES[system];
  switch (code) {
    case "UPSTREAM_TIMEOUT":
      return `${name}${where} did not answer in time.`;
    case "UPSTREAM_REJECTED":
      return `${name}${where} refused the request.`;
    case "SERVICE_UNAVAILABLE":
      return `${name} is unavailable; nothing was changed.`;
    case "CONFLICT":
      return `The object was changed in ${name}${where} since you loaded it.`;
    case "NOT_FOUND":
      return `Not found in ${name}${where}.`;
    default:
      return `${name}${where} is unreachable.`;
  }
}

function defaultUserMessage(code: ErrorCode): string {
  switch (code) {
    case "UNAUTHENTICATED":
      return "Sign in to continue.";
    case "FORBIDDEN":
      return "You do not have permission to do this.";
    case "NOT_FOUND":
      return "Not found.";
    case "CONFLICT":
      return "Someone else changed this since you loaded it.";
    case "VALIDATION":
      return "Some fields are not valid.";
    case "RATE_LIMITED":
      return "Too many attempts; wait and try again.";
    case "SERVICE_UNAVAILABLE":
      return "The console cannot do this right now; nothing was changed.";
    case "INTERNAL":
      return "Something went wrong on our side.";
    case "UNPROCESSABLE":
      return "This cannot be carried out as it is; nothing was changed.";
    default:
      return "A backend system failed.";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
