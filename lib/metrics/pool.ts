/** Reports a database handle's pool to the metrics registry (node-postgres; PGlite has none). */
import type { DatabaseHandle } from "@/db/client";
import { metrics } from "@/lib/metrics/registry";

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function watchPool(handle: DatabaseHandle): void {
  const pool = (handle.db as unknown as { $client?: Partial<PgPool> }).$client;
  if (!pool || typeof pool.totalCount !== "number") return;
  metrics().setPool(() => ({ total: pool.totalCount!, idle: pool.idleCount ?? 0, waiting: pool.waitingCount ?? 0 }));
}
