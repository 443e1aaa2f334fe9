/**
 * Structured JSON logs on stdout/stderr. Values under secret-looking keys are redacted
 * here too, so a careless `logger.info("x", { password })` cannot leak.
 */
import { redactInlineSecrets, redactSecrets } from "@/lib/redact";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = (process.env.SWITCHYARD_LOG_LEVEL ?? "info") as Level;
  return ORDER[configured] ?? ORDER.info;
}

function serializeError(e: unknown): unknown {
  if (e instanceof Error) {
    const out: Record<string, unknown> = { name: e.name, message: e.message, stack: e.stack };
    if ("code" in e) out.code = (e as { code: unknown }).code;
    // A failed query's SQL helps; its parameters are row data (hashes, names) and stay out.
    if ("query" in e && typeof (e as { query: unknown }).query === "string") out.query = (e as { query: string }).query.slice(0, 500);
    if (e.cause !== undefined) out.cause = serializeError(e.cause);
    return out;
  }
  return e;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  if (fields) {
    for (const [k, v] of Object.entries(fields)) entry[k] = k === "err" || k === "error" ? serializeError(v) : v;
  }
  const line = JSON.stringify(redactSecrets(entry), (_k, v: unknown) => (typeof v === "string" ? redactInlineSecrets(v) : v));
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
