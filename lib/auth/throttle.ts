/**
 * Sign-in throttling per username and per client IP (SECURITY.md 7), in the database so all
 * replicas share it. After too many failures in the window the key is locked and sign-in
 * answers 429 with Retry-After — for right and wrong passwords alike, so a lock leaks nothing.
 */
import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loginThrottle } from "@/db/schema";

export interface ThrottlePolicy {
  windowMs: number;
  maxPerUser: number;
  maxPerIp: number;
  lockMs: number;
}

export function throttlePolicy(): ThrottlePolicy {
  const n = (name: string, d: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : d;
  };
  return {
    windowMs: n("SWITCHYARD_LOGIN_WINDOW_MINUTES", 15) * 60_000,
    maxPerUser: n("SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER", 5),
    maxPerIp: n("SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP", 30),
    lockMs: n("SWITCHYARD_LOGIN_LOCK_MINUTES", 15) * 60_000,
  };
}

export function throttleKeys(username: string, clientIp: string | null): string[] {
  const keys = [`user:${username.toLowerCase().slice(0, 256)}`];
  if (clientIp) keys.push(`ip:${clientIp}`);
  return keys;
}

/** Seconds until the earliest lock on these keys lifts, or 0 when none is locked. */
export async function lockedFor(db: Database, keys: string[]): Promise<number> {
  let wait = 0;
  for (const key of keys) {
    const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil.getTime() > Date.now()) wait = Math.max(wait, Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000));
  }
  return wait;
}

export async function recordFailure(db: Database, keys: string[], policy = throttlePolicy()): Promise<void> {
  const windowStart = new Date(Date.now() - policy.windowMs).toISOString();
  for (const key of keys) {
    const max = key.startsWith("user:") ? policy.maxPerUser : policy.maxPerIp;
    // One statement: concurrent failures on two replicas both count.
    await db.execute(sql`
      INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_start < ${windowStart}::timestamptz THEN 1 ELSE login_throttle.failures + 1 END,
        window_start = CASE WHEN login_throttle.window_start < ${windowStart}::timestamptz THEN now() ELSE login_throttle.window_start END`);
    await db.execute(sql`
      UPDATE login_throttle SET locked_until = now() + ${`${policy.lockMs} milliseconds`}::interval, failures = 0, window_start = now()
      WHERE key = ${key} AND failures >= ${max}`);
  }
}

export async function clearFailures(db: Database, username: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, throttleKeys(username, null)[0]!));
}
