/**
 * Instance changes that never lose a concurrent change (issue #12).
 *
 * Nacos' partial update resets an omitted weight or enabled flag, so every change writes both,
 * and Nacos applies a write about half a second after answering it. Two changes read close
 * together would each write back the other's old value. So an instance change:
 *
 * 1. takes a per-instance lock held across replicas (lib/locks/key-lock.ts) — a PostgreSQL
 *    transaction-scoped advisory lock keyed by environment, namespace, group, service,
 *    cluster, ip and port (plus an in-process queue, so waiters of one process hold one
 *    database connection, and the only lock on the embedded database, which is one process
 *    by construction);
 * 2. reads the instance under the lock and compares the operator's expectation (the values
 *    they saw) with it: any difference is a CONFLICT carrying the current values and a diff;
 * 3. writes, then polls until Nacos reads back what was written (at most CONFIRM_WAIT_MS)
 *    before releasing the lock; not shown in time → outcome `unknown`, never `succeeded`.
 *
 * Used by `updateInstance` (lib/registry/update-instance.ts) and `disableEverywhere`
 * (lib/registry/disable-everywhere.ts); both lock the same keys.
 */
import "server-only";
import { AppError } from "@/lib/errors";
import { withKeyLocks, type KeyLockOptions } from "@/lib/locks/key-lock";

/** How long the console waits for Nacos to show a write before answering `unknown`. */
export const CONFIRM_WAIT_MS = 5_000;
const CONFIRM_POLL_MS = 150;
/**
 * How long a change waits for another change of the same instance to finish. A holder keeps
 * the lock for a read, a write (5 s client timeout each) and the confirmation wait.
 */
export const LOCK_WAIT_MS = 20_000;
/** First key of the two-key advisory lock: "instance change" (record.ts and others use one-key locks). */
const LOCK_CLASS = 0x5357_0010;

/** One Nacos instance, as the lock knows it. */
export interface InstanceRef {
  environment: string;
  /** "" and "public" are the same namespace. */
  namespace: string;
  group: string;
  serviceName: string;
  clusterName: string;
  ip: string;
  port: number;
}

/** What the operator saw. Only the fields given are compared; metadata: null = the key was absent. */
export interface InstanceExpectation {
  weight?: number;
  enabled?: boolean;
  metadata?: Record<string, string | null>;
}

/** The compared fields of an instance. */
export interface InstanceValues {
  weight: number;
  enabled: boolean;
  metadata: Record<string, string>;
}

/** One field whose expectation no longer holds: `weight`, `enabled` or `metadata.<key>`. */
export interface FieldDiff {
  field: string;
  expected: unknown;
  current: unknown;
}

export function instanceLockKey(r: InstanceRef): string {
  return JSON.stringify([r.environment, r.namespace || "public", r.group, r.serviceName, r.clusterName, r.ip, r.port]);
}

/** The fields of `expected` that differ from `current` (metadata: only the keys given). */
export function diffExpectation(expected: InstanceExpectation, current: InstanceValues): FieldDiff[] {
  const out: FieldDiff[] = [];
  if (expected.weight !== undefined && expected.weight !== current.weight) out.push({ field: "weight", expected: expected.weight, current: current.weight });
  if (expected.enabled !== undefined && expected.enabled !== current.enabled) out.push({ field: "enabled", expected: expected.enabled, current: current.enabled });
  for (const [key, value] of Object.entries(expected.metadata ?? {})) {
    const now = Object.hasOwn(current.metadata, key) ? current.metadata[key]! : null;
    if (now !== value) out.push({ field: `metadata.${key}`, expected: value, current: now });
  }
  return out;
}

/** `current` with the edited keys set (null removes a key); other keys keep their current values. */
export function applyMetadataEdits(current: Record<string, string>, edits: Record<string, string | null>): Record<string, string> {
  const out = { ...current };
  for (const [key, value] of Object.entries(edits)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Whether `shown` carries every value that was written (metadata: the edited keys). */
export function showsWrite(shown: InstanceValues, written: { weight: number; enabled: boolean; metadataEdits?: Record<string, string | null> }): boolean {
  return diffExpectation({ weight: written.weight, enabled: written.enabled, metadata: written.metadataEdits }, shown).length === 0;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Polls `read` until `shown` holds, for at most `ms`. A read that fails or is still running at
 * the deadline counts as "not shown"; `last` is the last value read (undefined: none came back).
 */
export async function waitUntilShown<T>(read: () => Promise<T>, shown: (v: T) => boolean, ms: number = CONFIRM_WAIT_MS): Promise<{ confirmed: boolean; last: T | undefined }> {
  const deadline = performance.now() + ms;
  let last: T | undefined;
  while (performance.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), deadline - performance.now())));
    const r = await Promise.race([read().then((v) => ({ v }), () => null), late]);
    clearTimeout(timer);
    if (r === "late") break;
    if (r) {
      last = r.v;
      if (shown(r.v)) return { confirmed: true, last };
    }
    await sleep(Math.min(CONFIRM_POLL_MS, deadline - performance.now()));
  }
  return { confirmed: false, last };
}

const INSTANCE_LOCK: KeyLockOptions = {
  lockClass: LOCK_CLASS,
  waitMs: LOCK_WAIT_MS,
  busy: () =>
    new AppError("SERVICE_UNAVAILABLE", "timed out waiting for another change of the same instance", {
      userMessage: "Another change to this instance is still being applied; nothing was changed. Try again in a moment.",
      retryAfterSeconds: 2,
    }),
};

/**
 * Runs `fn` holding the locks of every instance in `refs` (taken in a fixed order, so two
 * multi-instance changes cannot deadlock), in this process and across replicas. Waits at most
 * LOCK_WAIT_MS for other holders, then answers 503 without running `fn`.
 */
export async function withInstanceLocks<T>(refs: InstanceRef[], fn: () => Promise<T>): Promise<T> {
  return withKeyLocks(refs.map(instanceLockKey), INSTANCE_LOCK, fn);
}

/** The words an operator reads when Nacos did not show a change in time. */
export function unconfirmedMessage(what: string, environment: string): string {
  return `The change to ${what} was sent to Nacos in environment ${environment}, but Nacos did not show it within ${CONFIRM_WAIT_MS / 1000} s. Check the instance before changing it again.`;
}
