/**
 * Short-lived caching of registry reads with request coalescing (issue: scale): concurrent
 * identical reads share one upstream call; results live a few seconds. Failures are not cached.
 */
const entries = new Map<string, { at: number; value: Promise<unknown> }>();
const MAX_ENTRIES = 5_000;

export async function cachedRead<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = load();
  entries.set(key, { at: now, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  value.catch(() => entries.delete(key));
  return value;
}

/** After a write, the next read must see it. */
export function invalidate(prefix: string): void {
  for (const k of entries.keys()) if (k.startsWith(prefix)) entries.delete(k);
}
