/**
 * Sign-in throttling (docs/security.md §7, §37), in the database so every
 * replica shares it. Two keys per attempt: the client (its address, as the custom server
 * derived it) and the pair (username, client). Nothing is keyed by username alone, so no
 * one can lock an account — the break-glass `admin` included — for everyone else.
 *
 * Past the allowed failures a key waits a delay that doubles with every further failure
 * (1 s, 2 s, 4 s … up to the lock cap); failures are forgotten after a quiet window. A key
 * that is waiting answers 429 with Retry-After before any password is checked, and only the
 * failure that starts a wait is reported back (for one audit row per lock, not per attempt).
 */
import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loginThrottle } from "@/db/schema";

export interface ThrottlePolicy {
  /** Failures are forgotten after this long without one. */
  windowMs: number;
  maxPerUserClient: number;
  maxPerClient: number;
  /** First delay once a key is over its limit; doubles per further failure. */
  baseDelayMs: number;
  /** The longest a key ever waits. */
  maxDelayMs: number;
}

export function throttlePolicy(): ThrottlePolicy {
  const n = (name: string, d: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : d;
  };
  return {
    windowMs: n("SWITCHYARD_LOGIN_WINDOW_MINUTES", 15) * 60_000,
    maxPerUserClient: n("SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER", 5),
    maxPerClient: n("SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP", 30),
    baseDelayMs: n("SWITCHYARD_LOGIN_BASE_DELAY_SECONDS", 1) * 1000,
    maxDelayMs: n("SWITCHYARD_LOGIN_LOCK_MINUTES", 15) * 60_000,
  };
}

export type ThrottleScope = "client" | "user-client";

export interface ThrottleKey {
  key: string;
  scope: ThrottleScope;
}

/** The keys of one attempt. A request whose address is unknown shares the key "unknown". */
export function throttleKeys(username: string, clientIp: string | null): ThrottleKey[] {
  const client = clientIp ?? "unknown";
  return [
    { key: `client:${client}`, scope: "client" },
    { key: `user-client:${username.toLowerCase().slice(0, 256)}|${client}`, scope: "user-client" },
  ];
}

/** Seconds until every wait on these keys has passed, or 0. */
export async function lockedFor(db: Database, keys: readonly ThrottleKey[]): Promise<number> {
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(
      inArray(
        loginThrottle.key,
        keys.map((k) => k.key),
      ),
    );
  let wait = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil.getTime() > Date.now()) wait = Math.max(wait, Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000));
  }
  return wait;
}

export function delayAfter(failures: number, max: number, policy: ThrottlePolicy): number {
  if (failures < max) return 0;
  const doublings = Math.min(failures - max, 40);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

export interface NewLock {
  scope: ThrottleScope;
  failures: number;
  seconds: number;
}

/** Counts one failure on each key; returns the waits this failure started. */
export async function recordFailure(db: Database, keys: readonly ThrottleKey[], policy = throttlePolicy()): Promise<NewLock[]> {
  const quietSince = new Date(Date.now() - policy.windowMs).toISOString();
  const locks: NewLock[] = [];
  for (const { key, scope } of keys) {
    const max = scope === "client" ? policy.maxPerClient : policy.maxPerUserClient;
    // One statement per key: concurrent failures on two replicas both count. window_start
    // holds the last failure: the count restarts after a quiet window.
    const result = await db.execute(sql`
      INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_start < ${quietSince}::timestamptz THEN 1 ELSE login_throttle.failures + 1 END,
        window_start = now()
      RETURNING failures`);
    const failures = Number(rowsOf<{ failures: number }>(result)[0]?.failures ?? 0);
    const delay = delayAfter(failures, max, policy);
    if (delay > 0) {
      await db.execute(sql`UPDATE login_throttle SET locked_until = now() + ${`${delay} milliseconds`}::interval WHERE key = ${key}`);
      locks.push({ scope, failures, seconds: Math.ceil(delay / 1000) });
    }
  }
  return locks;
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** A successful sign-in forgets this user's failures from this client (not the client's). */
export async function clearFailures(db: Database, username: string, clientIp: string | null): Promise<void> {
  const pair = throttleKeys(username, clientIp).find((k) => k.scope === "user-client")!;
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [pair.key]));
}
