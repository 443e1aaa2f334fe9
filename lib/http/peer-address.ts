/**
 * The client's address, from the TCP peer and — only through proxies we trust — from
 * X-Forwarded-For (docs/security.md §33). Any client can send X-Forwarded-For,
 * so its entries count only while the hop that appended them is in SWITCHYARD_TRUSTED_PROXIES:
 * walking right to left, the first address not in that list is the client.
 *
 * Standalone on purpose (no path aliases, one dependency): the custom server
 * (scripts/server.mts) runs this file with Node's own type stripping, before Next.js loads.
 */
import ipaddr from "ipaddr.js";

/** Header the custom server sets on every request (any client-sent copy is dropped first). */
export const CLIENT_IP_HEADER = "x-switchyard-client-ip";
/** Per-process random value proving the header above came from our server, not a client. */
export const CLIENT_IP_PROOF_HEADER = "x-switchyard-client-ip-proof";
export const CLIENT_IP_PROOF_ENV = "SWITCHYARD_CLIENT_IP_PROOF";

export type TrustedProxies = ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** Parses a comma- or space-separated CIDR list ("10.0.0.0/8, 127.0.0.1"); throws naming a bad entry. */
export function parseTrustedProxies(list: string | undefined): TrustedProxies {
  const out: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of (list ?? "").split(/[\s,]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    try {
      if (entry.includes("/")) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        out.push([unmap(addr), addr.kind() === "ipv6" && unmap(addr).kind() === "ipv4" ? bits - 96 : bits]);
      } else {
        const addr = unmap(ipaddr.parse(entry));
        out.push([addr, addr.kind() === "ipv4" ? 32 : 128]);
      }
    } catch {
      throw new Error(`SWITCHYARD_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
  }
  return out;
}

function unmap(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** A canonical textual address (IPv4-mapped IPv6 shown as IPv4), or null when not an IP. */
export function normalizeAddress(text: string | undefined | null): string | null {
  if (!text) return null;
  let t = text.trim();
  // "[::1]:443" / "1.2.3.4:5678" forms some proxies write.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  if (bracketed) t = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(t)) t = t.slice(0, t.lastIndexOf(":"));
  t = t.replace(/%.*$/, ""); // zone id
  if (!ipaddr.isValid(t)) return null;
  try {
    return unmap(ipaddr.parse(t)).toString();
  } catch {
    return null;
  }
}

function trusted(address: string, proxies: TrustedProxies): boolean {
  const addr = ipaddr.parse(address);
  return proxies.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
}

/**
 * The client address for a request whose TCP peer is `peer` and which carried these
 * X-Forwarded-For values. Without trusted proxies this is always the peer.
 */
export function clientAddress(peer: string | undefined | null, forwardedFor: string | string[] | undefined | null, proxies: TrustedProxies): string | null {
  const direct = normalizeAddress(peer);
  if (!direct || proxies.length === 0 || !trusted(direct, proxies)) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  let nearest = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    // A malformed entry ends what we can believe: the last trusted hop is the best we know.
    if (!hop) return nearest;
    if (!trusted(hop, proxies)) return hop;
    nearest = hop;
  }
  return nearest;
}
