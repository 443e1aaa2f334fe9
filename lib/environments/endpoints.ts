/**
 * Backend endpoints are admin-registered, never request parameters (docs/security.md §30), and
 * are checked when registered: allowed scheme, no credentials in the URL, and no loopback,
 * private or link-local address unless SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true (for labs and
 * the test stack). Names are resolved so a DNS name cannot smuggle in a private address. As a
 * name may resolve differently later (DNS rebinding), the clients check again at every
 * connection (lib/net/guarded-lookup.ts, docs/security.md).
 */
import dns from "node:dns/promises";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { AppError } from "@/lib/errors";

export function privateEndpointsAllowed(): boolean {
  return process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS === "true";
}

/**
 * IPv6 forms that carry an IPv4 address the packet is finally delivered to: the IPv4-mapped
 * `::ffff:a.b.c.d` (which `new URL` writes as `::ffff:7f00:1`), the IPv4-translated
 * `::ffff:0:a.b.c.d`, the deprecated IPv4-compatible `::a.b.c.d`, NAT64's well-known prefix
 * `64:ff9b::/96` and 6to4 `2002:aabb:ccdd::/48` (docs/security.md, issue #8 item 7).
 */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const [a, b, c, d, e, f, g, h] = v6.parts as [number, number, number, number, number, number, number, number];
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zero = (...xs: number[]) => xs.every((x) => x === 0);
  if (zero(a, b, c, d, e) && (f === 0 || f === 0xffff)) return v4(g, h); // ::a.b.c.d, ::ffff:a.b.c.d (also :: and ::1)
  if (zero(a, b, c, d, f) && e === 0xffff) return v4(g, h); // ::ffff:0:a.b.c.d
  if (a === 0x64 && b === 0xff9b && zero(c, d, e, f)) return v4(g, h); // 64:ff9b::a.b.c.d
  if (a === 0x2002) return v4(b, c); // 2002:aabb:ccdd::
  return null;
}

/** Global unicast space (2000::/3); IPv6 outside it is unallocated or special, never a backend. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * True for anything that is not a public unicast address: loopback, private, link-local,
 * unique-local, CGNAT, unspecified, multicast, broadcast, reserved, documentation and
 * benchmarking ranges — everything ipaddr.js does not call "unicast". An IPv6 address that
 * embeds an IPv4 address is judged by that IPv4 address; Teredo and the local-use NAT64
 * prefix `64:ff9b:1::/48` (whose IPv4 part sits where the operator chose) are never public.
 * Accepts any textual form, bracketed or not; what does not parse counts as not public.
 */
export function isNonPublicAddress(ip: string): boolean {
  const text = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) return true;
  const addr = ipaddr.parse(text);
  if (addr.kind() === "ipv4") return addr.range() !== "unicast";
  const v6 = addr as ipaddr.IPv6;
  const v4 = embeddedIPv4(v6);
  if (v4) return v4.range() !== "unicast";
  return v6.range() !== "unicast" || !v6.match(GLOBAL_UNICAST_V6);
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION", `${field}: ${message}`, { fields: [{ field, message }] });
}

async function checkHost(field: string, host: string): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (privateEndpointsAllowed()) return;
  let addresses: string[];
  if (net.isIP(bare)) addresses = [bare];
  else {
    try {
      addresses = (await dns.lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw invalid(field, `host ${bare} does not resolve`);
    }
  }
  if (addresses.some(isNonPublicAddress)) {
    throw invalid(field, `host ${bare} is a loopback or private address; set SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true to allow it`);
  }
}

/** Validates an http(s) endpoint and returns it normalized (no trailing slash). */
export async function validateUrl(field: string, value: string, schemes: Array<"http:" | "https:">): Promise<string> {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalid(field, "must be an absolute URL");
  }
  if (!schemes.includes(u.protocol as "http:" | "https:")) throw invalid(field, `scheme must be ${schemes.map((s) => s.slice(0, -1)).join(" or ")}`);
  if (u.username || u.password) throw invalid(field, "must not contain credentials; use the credential fields");
  if (u.search || u.hash) throw invalid(field, "must not contain a query or fragment");
  await checkHost(field, u.hostname);
  return u.toString().replace(/\/$/, "");
}

/** ZooKeeper connect string: host:port[,host:port…], optional chroot is not allowed here. */
export async function validateZookeeperHosts(field: string, value: string): Promise<string> {
  const parts = value.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.length > 16) throw invalid(field, "must list 1 to 16 host:port pairs");
  for (const p of parts) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(p);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw invalid(field, `"${p}" is not host:port`);
    await checkHost(field, m[1]!);
  }
  return parts.join(",");
}
