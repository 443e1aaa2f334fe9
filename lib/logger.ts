/**
 * Structured JSON logs on stdout/stderr. Values under secret-looking keys are redacted
 * here too, so a careless `logger.info("x", { password })` cannot leak.
 * SWITCHYARD_LOG_FORMAT=pretty writes the same entries as one readable line each, for a
 * terminal: `12:00:01.123 INFO  request  method=GET route=/api/v1/me status=200 ms=4`.
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
  const safe = JSON.parse(JSON.stringify(redactSecrets(entry), (_k, v: unknown) => (typeof v === "string" ? redactInlineSecrets(v) : v))) as Record<string, unknown>;
  const line = process.env.SWITCHYARD_LOG_FORMAT === "pretty" ? pretty(safe) : JSON.stringify(safe);
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

const COLORS: Record<string, string> = { debug: "\x1b[90m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" };

/** One line: time, level, message, then key=value (objects as JSON); colored on a terminal. */
export function pretty(entry: Record<string, unknown>, color = process.stdout.isTTY === true): string {
  const { time, level, msg, ...rest } = entry;
  const lvl = String(level).toUpperCase().padEnd(5);
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(" ");
  const head = `${String(time).slice(11, 23)} ${color ? `${COLORS[String(level)] ?? ""}${lvl}\x1b[0m` : lvl} ${String(msg)}`;
  return fields ? `${head}  ${fields}` : head;
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
