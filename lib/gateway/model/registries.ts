/**
 * Higress McpBridge registries (networking.higress.io/v1, `../shared/crds/higress-crds.yaml`)
 * built from the environments of a site's zones, and the host name under which a registry
 * service reaches the gateway. Pure: no server code.
 *
 * Higress watches only the McpBridge named `default` in its own namespace. Nacos services become
 * hosts `<service>.<group, "_" → "-">.<namespace id or "public">.nacos`; ZooKeeper services
 * `<service>.zookeeper`. A route sends traffic to such a host with a backendRef of group
 * `networking.istio.io`, kind `Hostname` (Higress builds on Istio's Gateway API support).
 * Credentials never go into the McpBridge (its nacosAccessKey / nacosSecretKey are plain spec
 * fields anyone who may read the object sees): a registry that needs them names a Kubernetes
 * Secret in `authSecretName`, which the console does not create (docs/security.md §43).
 */
import { z } from "zod";

export const MCP_BRIDGE_NAME = "default";
export const DEFAULT_HIGRESS_NAMESPACE = "higress-system";
export const REGISTRY_BACKEND = { group: "networking.istio.io", kind: "Hostname" } as const;
/** Registries the console manages carry this name prefix; others in the bridge are left alone. */
export const MANAGED_PREFIX = "sy-";

export type ZoneRegistry =
  | { kind: "nacos"; url: string; namespace: string; username?: string }
  | { kind: "zookeeper"; hosts: string; root: string; layout: "dubbo" | "spring-cloud" };

export interface ZoneSource {
  zone: string;
  environment: string;
  registry: ZoneRegistry;
}

export const RegistryConfig = z
  .object({
    name: z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lower-case DNS label"),
    type: z.enum(["nacos", "nacos2", "nacos3", "zookeeper", "consul", "eureka", "static", "dns"]),
    domain: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    nacosNamespaceId: z.string().max(128).optional(),
    nacosGroups: z.array(z.string().min(1).max(128)).max(32).optional(),
    zkServicesPath: z.array(z.string().min(1).max(1024)).max(16).optional(),
    authSecretName: z.string().min(1).max(253).optional(),
  })
  .loose();
export type RegistryConfig = z.infer<typeof RegistryConfig>;

/** Fields that would carry a credential in clear; the console never writes or shows them. */
export const SECRET_REGISTRY_FIELDS = ["nacosAccessKey", "nacosSecretKey"] as const;

export function registryName(zone: string): string {
  const label = zone
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${MANAGED_PREFIX}${label || "zone"}`.slice(0, 63).replace(/-+$/, "");
}

function hostPort(url: string, defaultPort: number): { domain: string; port: number } {
  const u = new URL(url.includes("://") ? url : `tcp://${url}`);
  return { domain: u.hostname.replace(/^\[(.*)\]$/, "$1"), port: u.port ? Number(u.port) : defaultPort };
}

/** The McpBridge registry that lets the gateway see one zone's registry. */
export function registryForZone(z: ZoneSource, groups: string[] = ["DEFAULT_GROUP"], authSecretName?: string): RegistryConfig {
  const name = registryName(z.zone);
  if (z.registry.kind === "nacos") {
    const { domain, port } = hostPort(z.registry.url, 8848);
    return {
      name,
      type: "nacos2",
      domain,
      port,
      nacosNamespaceId: z.registry.namespace || "public",
      nacosGroups: [...groups],
      ...(authSecretName ? { authSecretName } : {}),
    };
  }
  // A ZooKeeper connect string lists the ensemble; Higress takes one address per registry.
  const first = z.registry.hosts.split(",")[0]!.trim();
  const { domain, port } = hostPort(first, 2181);
  const root = z.registry.root === "/" ? "" : z.registry.root.replace(/\/+$/, "");
  return { name, type: "zookeeper", domain, port, zkServicesPath: [`${root}/${z.registry.layout === "dubbo" ? "dubbo" : "services"}`] };
}

/**
 * The bridge's registries after putting `desired` in: a registry of the same name is replaced,
 * new ones are appended in the order given, and every other registry keeps its place.
 */
export function mergeRegistries(existing: readonly Record<string, unknown>[], desired: readonly RegistryConfig[]): Record<string, unknown>[] {
  const byName = new Map(desired.map((d) => [d.name, d]));
  const out = existing.map((r) => {
    const d = typeof r.name === "string" ? byName.get(r.name) : undefined;
    if (!d) return r;
    byName.delete(d.name);
    return { ...d };
  });
  for (const d of desired) if (byName.has(d.name)) out.push({ ...d });
  return out;
}

export function removeRegistry(existing: readonly Record<string, unknown>[], name: string): Record<string, unknown>[] {
  return existing.filter((r) => r.name !== name);
}

/** A registry as the console shows it: secret fields replaced by a flag. */
export function redactRegistry(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const f of SECRET_REGISTRY_FIELDS) {
    if (f in out) {
      delete out[f];
      out[`${f}Set`] = true;
    }
  }
  return out;
}

/** The host a registry service is known by at the gateway (see the header comment). */
export function registryHost(kind: ZoneRegistry["kind"], service: string, group: string, namespace: string): string {
  if (kind === "zookeeper") return `${service}.zookeeper`;
  return `${service}.${group.replace(/_/g, "-")}.${namespace || "public"}.nacos`;
}

/** zone → backendRef name of `service` in every zone; two zones on one host cannot be weighted apart. */
export function siteBackendHosts(zones: readonly ZoneSource[], service: string, group: string): { hosts: Record<string, string>; clash?: [string, string] } {
  const hosts: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const z of zones) {
    const h = registryHost(z.registry.kind, service, group, z.registry.kind === "nacos" ? z.registry.namespace : "");
    const other = seen.get(h);
    if (other) return { hosts, clash: [other, z.zone] };
    seen.set(h, z.zone);
    hosts[z.zone] = h;
  }
  return { hosts };
}
