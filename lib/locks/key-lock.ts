/**
 * A lock per key, held in this process and across replicas: an in-process queue per key (so
 * waiters of one process hold one database connection between them; on the embedded
 * database — one process by construction — the queue is the whole lock) and, on PostgreSQL, a
 * transaction-scoped advisory lock `pg_advisory_xact_lock(lockClass, hash(key))` held while
 * `fn` runs. Both waits share one deadline; past it the caller's `busy()` error is thrown and
 * `fn` never runs.
 *
 * Used by config changes (lib/configs/key-lock.ts) and instance changes
 * (lib/registry/instance-change.ts), each with its own lock class.
 */
import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { databaseHandle } from "@/lib/database";
import { AppError } from "@/lib/errors";

export interface KeyLockOptions {
  /** First key of the two-key advisory lock: one per kind of lock, so kinds never collide. */
  lockClass: number;
  /** How long to wait for other holders (in this process and across replicas) before `busy()`. */
  waitMs: number;
  /** The error answered when the wait runs out (typically a 503 naming what is busy). */
  busy: () => AppError;
}

function lockId(key: string): number {
  return createHash("sha256").update(key).digest().readInt32BE(0);
}

// In-process queue per lock class and key: each waiter chains behind the previous holder.
const queues = new Map<string, Promise<void>>();

async function withLocalLock<T>(queueKey: string, deadline: number, busy: () => AppError, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(queueKey) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  queues.set(queueKey, tail);
  // Forgotten once everything queued up to here is done (a timed-out waiter may leave early).
  void tail.then(() => {
    if (queues.get(queueKey) === tail) queues.delete(queueKey);
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((r) => (timer = setTimeout(() => r(true), deadline - Date.now())));
    const late = await Promise.race([previous.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) throw busy();
    return await fn();
  } finally {
    // After a timeout the queue still passes through this place once `previous` is done.
    release();
  }
}

function isStatementTimeout(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

async function withDatabaseLocks<T>(keys: string[], deadline: number, options: KeyLockOptions, fn: () => Promise<T>): Promise<T> {
  let handle;
  try {
    handle = await databaseHandle();
  } catch (e) {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
  }
  // The embedded database serves one process: the in-process queue is the lock.
  if (handle.kind !== "postgres") return fn();
  let done: { value: T } | undefined;
  try {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('statement_timeout', ${String(Math.max(1, deadline - Date.now()))}, true)`);
      try {
        for (const k of keys) await tx.execute(sql`SELECT pg_advisory_xact_lock(${options.lockClass}::int4, ${lockId(k)}::int4)`);
      } catch (e) {
        throw isStatementTimeout(e) ? options.busy() : e;
      }
      // The lock's wait is bounded; the work under it is bounded by the backend client's timeouts.
      await tx.execute(sql`SELECT set_config('statement_timeout', '0', true)`);
      done = { value: await fn() };
    });
  } catch (e) {
    // The change happened; a failed COMMIT only released the lock early.
    if (done) return done.value;
    throw e;
  }
  return done!.value;
}

/**
 * Runs `fn` holding the lock of every key in `keys` (deduplicated and taken in sorted order,
 * so two multi-key holders cannot deadlock), in this process and across replicas. Waits at
 * most `options.waitMs` for other holders, then throws `options.busy()` without running `fn`.
 */
export async function withKeyLocks<T>(keys: readonly string[], options: KeyLockOptions, fn: () => Promise<T>): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const deadline = Date.now() + options.waitMs;
  const nest = (i: number): Promise<T> =>
    i < sorted.length ? withLocalLock(`${options.lockClass}:${sorted[i]!}`, deadline, options.busy, () => nest(i + 1)) : withDatabaseLocks(sorted, deadline, options, fn);
  return nest(0);
}
