/**
 * A per-config lock held across replicas: a PostgreSQL transaction-scoped advisory lock keyed
 * by environment, namespace, group and dataId (plus an in-process queue, so waiters of one
 * process hold one connection; on the embedded database — one process by construction — the
 * queue is the lock). Creates are serialized per key with it, so two concurrent creates of one
 * key answer one 201 and one 409 (issue #13 item 3); edits, deletes, rollbacks and gray changes
 * of one config take it too, so a check and the write after it are never interleaved with
 * another console change of the same config.
 */
import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { databaseHandle } from "@/lib/database";
import { AppError } from "@/lib/errors";

/** First key of the two-key advisory lock: "config change". */
const LOCK_CLASS = 0x5357_0020;
/** A holder keeps the lock for a few Nacos calls (10 s client timeout each). */
const LOCK_WAIT_MS = 30_000;

export interface ConfigRef {
  environment: string;
  /** "" and "public" are the same namespace. */
  namespace: string;
  group: string;
  dataId: string;
}

function lockKey(r: ConfigRef): string {
  return JSON.stringify([r.environment, r.namespace === "public" ? "" : r.namespace, r.group, r.dataId]);
}

function lockId(key: string): number {
  return createHash("sha256").update(key).digest().readInt32BE(0);
}

function busy(): AppError {
  return new AppError("SERVICE_UNAVAILABLE", "timed out waiting for another change of the same config", {
    userMessage: "Another change to this config is still being applied; nothing was changed. Try again in a moment.",
    retryAfterSeconds: 2,
  });
}

const queues = new Map<string, Promise<void>>();

async function withLocalLock<T>(key: string, deadline: number, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((r) => (timer = setTimeout(() => r(true), deadline - Date.now())));
    const late = await Promise.race([previous.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) throw busy();
    return await fn();
  } finally {
    release();
  }
}

function isStatementTimeout(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

/** Runs `fn` holding the config's lock in this process and across replicas; 503 after LOCK_WAIT_MS. */
export async function withConfigLock<T>(ref: ConfigRef, fn: () => Promise<T>): Promise<T> {
  const key = lockKey(ref);
  const deadline = Date.now() + LOCK_WAIT_MS;
  return withLocalLock(key, deadline, async () => {
    let handle;
    try {
      handle = await databaseHandle();
    } catch (e) {
      throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
    }
    if (handle.kind !== "postgres") return fn();
    let done: { value: T } | undefined;
    try {
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('statement_timeout', ${String(Math.max(1, deadline - Date.now()))}, true)`);
        try {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int4, ${lockId(key)}::int4)`);
        } catch (e) {
          throw isStatementTimeout(e) ? busy() : e;
        }
        // The lock's wait is bounded; the work under it is bounded by the Nacos client's timeouts.
        await tx.execute(sql`SELECT set_config('statement_timeout', '0', true)`);
        done = { value: await fn() };
      });
    } catch (e) {
      if (done) return done.value;
      throw e;
    }
    return done!.value;
  });
}
