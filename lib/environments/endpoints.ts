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
import { AppError } from "@/lib/errors";
import { isNonPublicAddress, privateEndpointsAllowed } from "@/lib/net/address";

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
