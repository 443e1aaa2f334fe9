import "server-only";
/**
 * The address check at connection time (docs/security.md §30, issue #8 item 7). Registration
 * checks an endpoint once (lib/environments/endpoints.ts), but a name can resolve to a public
 * address then and to 127.0.0.1 or 169.254.169.254 later (DNS rebinding). So the clients built
 * from an environment record resolve the host themselves at every new connection, refuse a
 * loopback, private or otherwise non-public answer unless SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true,
 * and connect to exactly the addresses they checked — never resolving the name a second time.
 */
import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import { isNonPublicAddress, privateEndpointsAllowed } from "@/lib/net/address";
import { UpstreamError, type UpstreamSystem } from "@/lib/errors";

/** Whose connection is being checked; named in the refusal. */
export interface GuardTarget {
  system: UpstreamSystem;
  environment?: string;
}

/** How a client opens its connections. */
export interface ConnectOptions {
  /**
   * Resolve and check the address at every connection (see above). On for every client built
   * from an environment record (lib/environments/connect.ts).
   */
  guardAddresses?: boolean;
}

const SYSTEM_NAMES: Partial<Record<UpstreamSystem, string>> = { nacos: "Nacos", zookeeper: "ZooKeeper", kubernetes: "Kubernetes" };

/** A connection the console refused to open because its host is, or resolves to, a non-public address. */
export class NonPublicAddressError extends UpstreamError {
  readonly host: string;

  constructor(target: GuardTarget, host: string, address: string) {
    const name = SYSTEM_NAMES[target.system] ?? target.system;
    const where = target.environment ? ` in environment ${target.environment}` : "";
    const resolves = address === host ? "is" : `resolves to ${address}, which is`;
    super("UPSTREAM_UNAVAILABLE", target.system, `${target.system} host ${host} ${resolves} a loopback, private or otherwise non-public address; connection refused`, {
      environment: target.environment,
      details: { host, reason: "non-public-address" },
      // The address stays in the server log: it would tell a user what lies behind the name.
      userMessage: `${name}${where} was not contacted: its host ${host} is a loopback or private address, which the console does not connect to unless SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true.`,
    });
    this.name = "NonPublicAddressError";
    this.host = host;
  }
}

function bare(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function refuseNonPublic(target: GuardTarget, host: string, addresses: readonly string[]): void {
  if (privateEndpointsAllowed()) return;
  const bad = addresses.find(isNonPublicAddress);
  if (bad !== undefined) throw new NonPublicAddressError(target, host, bad);
}

/**
 * Resolves `host` (a name or an IP literal, bracketed or not) and returns every address it
 * has, after refusing the whole answer if any one of them is non-public. Connect only to
 * addresses from this list. DNS failures are passed on unchanged (ENOTFOUND, …).
 */
export async function resolveCheckedAddresses(host: string, target: GuardTarget, options: dns.LookupOptions = {}): Promise<dns.LookupAddress[]> {
  const name = bare(host);
  const literal = net.isIP(name);
  const addresses = literal ? [{ address: name, family: literal }] : await dns.promises.lookup(name, { ...options, all: true });
  refuseNonPublic(target, name, addresses.map((a) => a.address));
  return addresses;
}

/**
 * A `lookup` for net, tls, http(s) and their agents that resolves through
 * resolveCheckedAddresses, so the socket connects to an address that was checked for this very
 * connection. Node calls no `lookup` for an IP literal host: check those with checkLiteralHost.
 */
export function guardedLookup(target: GuardTarget): LookupFunction {
  return (hostname, options, callback) => {
    resolveCheckedAddresses(hostname, target, options).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (e: NodeJS.ErrnoException) => callback(e, ""),
    );
  };
}

/**
 * Refuses an IP-literal host that is not public (unless allowed); a name passes, since
 * guardedLookup checks it when the connection opens. Call before every request: Node skips
 * `lookup` for literals, and whether private endpoints are allowed is read at call time.
 */
export function checkLiteralHost(host: string, target: GuardTarget): void {
  const name = bare(host);
  if (net.isIP(name)) refuseNonPublic(target, name, [name]);
}

/** The NonPublicAddressError behind a transport failure (sockets wrap what `lookup` reported), if any. */
export function nonPublicAddressCause(e: unknown): NonPublicAddressError | undefined {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    if (c instanceof NonPublicAddressError) return c;
  }
  return undefined;
}
