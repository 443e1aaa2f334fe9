/**
 * A per-config lock held across replicas (lib/locks/key-lock.ts: a PostgreSQL
 * transaction-scoped advisory lock keyed by environment, namespace, group and dataId, plus an
 * in-process queue). Creates are serialized per key with it, so two concurrent creates of one
 * key answer one 201 and one 409 (issue #13 item 3); edits, deletes, rollbacks and gray changes
 * of one config take it too, so a check and the write after it are never interleaved with
 * another console change of the same config.
 */
import "server-only";
import { AppError } from "@/lib/errors";
import { withKeyLocks, type KeyLockOptions } from "@/lib/locks/key-lock";

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

const CONFIG_LOCK: KeyLockOptions = {
  /** First key of the two-key advisory lock: "config change". */
  lockClass: 0x5357_0020,
  /** A holder keeps the lock for a few Nacos calls (10 s client timeout each). */
  waitMs: 30_000,
  busy: () =>
    new AppError("SERVICE_UNAVAILABLE", "timed out waiting for another change of the same config", {
      userMessage: "Another change to this config is still being applied; nothing was changed. Try again in a moment.",
      retryAfterSeconds: 2,
    }),
};

/** Runs `fn` holding the config's lock in this process and across replicas; 503 after 30 s. */
export async function withConfigLock<T>(ref: ConfigRef, fn: () => Promise<T>): Promise<T> {
  return withKeyLocks([lockKey(ref)], CONFIG_LOCK, fn);
}
