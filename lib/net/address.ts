/**
 * Which addresses are not public unicast, and whether private backends are allowed
 * (SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS). Checked when an endpoint is registered
 * (lib/environments/endpoints.ts) and again at every connection (lib/net/guarded-lookup.ts).
 */
import ipaddr from "ipaddr.js";

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
