/**
 * Password hashing with scrypt from node:crypto (no native module to build in air-gapped
 * installs). Format: scrypt$N$r$p$salt$hash (base64url), so parameters can be raised later
 * without breaking stored hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import pLimit from "p-limit";
import { AppError } from "@/lib/errors";

/** scrypt cost: N = 2^17, r = 8, p = 1 (OWASP's current minimum); 128 MiB per hash. */
const N = 1 << 17;
const R = 8;
const P = 1;
const KEY_LEN = 32;

/**
 * Hashing is memory- and CPU-bound: at most SWITCHYARD_HASH_CONCURRENCY (default 2) run at
 * once and SWITCHYARD_HASH_QUEUE (default 32) wait; beyond that the caller gets 503 at once
 * instead of a flood of usernames queueing gigabytes of scrypt (docs/security.md
 * §37).
 */
function positive(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
const slots = pLimit(positive("SWITCHYARD_HASH_CONCURRENCY", 2));
const maxWaiting = positive("SWITCHYARD_HASH_QUEUE", 32);

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  if (slots.pendingCount >= maxWaiting) {
    return Promise.reject(
      new AppError("SERVICE_UNAVAILABLE", "password hashing queue is full", { retryAfterSeconds: 1, userMessage: "Sign-in is busy; try again in a moment.", details: { system: "sign-in" } }),
    );
  }
  return slots(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize("NFKC"), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

/** Whether a stored hash uses weaker parameters than today's: rehash after a successful check. */
export function needsRehash(stored: string): boolean {
  const parts = stored.split("$");
  return parts[0] !== "scrypt" || Number(parts[1]) < N || Number(parts[2]) < R || Number(parts[3]) < P;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, "base64url");
  const cost = Number(n);
  const block = Number(r);
  const key = await scrypt(password, Buffer.from(saltB64, "base64url"), expected.length, {
    N: cost,
    r: block,
    p: Number(p),
    maxmem: 128 * cost * block * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing in particular: verifying against it costs what a real check costs. */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex")).catch((e: unknown) => {
    dummyHash = undefined; // a full queue is not forever
    throw e;
  });
  return dummyHash;
}

/** Password policy for local accounts. Returns a message, or null when acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "must be at least 12 characters";
  if (password.length > 256) return "must be at most 256 characters";
  if (/[\u0000-\u001f]/.test(password)) return "must not contain control characters";
  if (password.trim() !== password) return "must not start or end with spaces";
  return null;
}
