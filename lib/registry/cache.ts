/**
 * Short-lived caching of registry reads with request coalescing (issue: scale), on lru-cache:
 * concurrent identical reads share one upstream call (fetchMethod); results live a few seconds
 * (per-read TTL); the cache is bounded. Failures are not cached.
 */
import { LRUCache } from "lru-cache";

const MAX_ENTRIES = 5_000;

/** Values are boxed so that any result (null, undefined) caches like any other. */
type Box = { value: unknown };
type Load = () => Promise<unknown>;

/**
 * Keys with a load in flight (a count, since an invalidated load may still be running beside
 * the next one): lru-cache's key iterators skip pending fetches, and invalidation must reach them.
 */
const loading = new Map<string, number>();

const entries = new LRUCache<string, Box, Load>({
  max: MAX_ENTRIES,
  ttl: 5_000, // every read passes its own TTL; this is only the default
  // An invalidation (or eviction) during a load must not fail the readers already waiting
  // for it; lru-cache still does not store a result whose entry was deleted meanwhile, so
  // the next read after a write loads afresh.
  ignoreFetchAbort: true,
  fetchMethod: async (key, _stale, { context }) => {
    loading.set(key, (loading.get(key) ?? 0) + 1);
    try {
      return { value: await context() };
    } finally {
      const n = loading.get(key)! - 1;
      if (n > 0) loading.set(key, n);
      else loading.delete(key);
    }
  },
});

export async function cachedRead<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const box = await entries.fetch(key, { ttl: ttlMs, context: load });
  return box!.value as T;
}

/** After a write, the next read must see it. */
export function invalidate(prefix: string): void {
  for (const k of new Set([...entries.keys(), ...loading.keys()])) if (k.startsWith(prefix)) entries.delete(k);
}
