/**
 * Redaction of values under secret-looking keys (SECURITY.md 21, 31). Used by the logger,
 * the audit recorder and exports, so one list decides what is a secret everywhere.
 */
const SECRET_KEY =
  /(pass(word|wd)?|secret|token|credential|private[-_.]?key|api[-_.]?key|access[-_.]?key|client[-_.]?key|authorization|cookie|session|pwd|salt|signature|cert(ificate)?[-_.]?key)/i;

export const REDACTED = "[redacted]";

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret-keyed values replaced. Cycles are cut, not followed. */
export function redactSecrets<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value;
  if (seen.has(value as object)) return "[cycle]" as unknown as T;
  seen.add(value as object);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, seen)) as unknown as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== "" ? REDACTED : redactSecrets(v, seen);
  }
  return out as T;
}

/**
 * Redacts `key=value` and `key: value` lines inside text content (properties, YAML, env files)
 * where the key looks secret: config content is text, and a secret in it is still a secret.
 */
export function redactSecretsInText(text: string): string {
  return text.replace(
    /^(\s*[-\w.]*?(?:pass(?:word|wd)?|secret|token|credential|private[-_.]?key|api[-_.]?key|access[-_.]?key|pwd)[-\w.]*\s*[:=]\s*)(.+)$/gim,
    (_m, head: string) => `${head}${REDACTED}`,
  );
}

const INLINE_SECRET = /\b([\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_.]?key|access[-_.]?key|credential)[\w.-]*)(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,&;]+)/gi;

/** Redacts `password=…`, `token: …` anywhere in free text (error messages, log lines). */
export function redactInlineSecrets(text: string): string {
  return text.replace(INLINE_SECRET, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
}
