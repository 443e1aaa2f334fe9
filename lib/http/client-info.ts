/**
 * Client facts for audit rows and the per-client sign-in throttle. The address is the one
 * our custom server (scripts/server.mts) derived from the TCP peer and trusted proxies and
 * stamped on the request with a per-process proof; a request that did not pass through it
 * (or that forged the header without the proof) has no known address. Client-sent
 * X-Forwarded-For / X-Real-IP are never read here (docs/security.md §33).
 */
import { timingSafeEqual } from "node:crypto";
import { CLIENT_IP_HEADER, CLIENT_IP_PROOF_ENV, CLIENT_IP_PROOF_HEADER, normalizeAddress } from "@/lib/http/peer-address";

export interface ClientInfo {
  clientIp: string | null;
  userAgent: string | null;
}

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name);
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function provenByServer(h: HeaderSource): boolean {
  const expected = process.env[CLIENT_IP_PROOF_ENV];
  const given = header(h, CLIENT_IP_PROOF_HEADER);
  if (!expected || !given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export function clientInfo(h: HeaderSource): ClientInfo {
  const ip = provenByServer(h) ? normalizeAddress(header(h, CLIENT_IP_HEADER)) : null;
  return { clientIp: ip, userAgent: header(h, "user-agent")?.slice(0, 512) ?? null };
}
