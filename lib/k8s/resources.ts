/**
 * The Kubernetes kinds the console manages, and the only way a name or namespace enters a URL.
 * Keys are unique even where upstream kinds collide: Istio's `Gateway` is `IstioGateway`, the
 * Gateway API one is `Gateway`.
 */
import { AppError, type FieldIssue } from "@/lib/errors";

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const RESOURCES = {
  VirtualService: { group: "networking.istio.io", version: "v1", plural: "virtualservices", kind: "VirtualService", namespaced: true },
  DestinationRule: { group: "networking.istio.io", version: "v1", plural: "destinationrules", kind: "DestinationRule", namespaced: true },
  IstioGateway: { group: "networking.istio.io", version: "v1", plural: "gateways", kind: "Gateway", namespaced: true },
  ServiceEntry: { group: "networking.istio.io", version: "v1", plural: "serviceentries", kind: "ServiceEntry", namespaced: true },
  PeerAuthentication: { group: "security.istio.io", version: "v1", plural: "peerauthentications", kind: "PeerAuthentication", namespaced: true },
  AuthorizationPolicy: { group: "security.istio.io", version: "v1", plural: "authorizationpolicies", kind: "AuthorizationPolicy", namespaced: true },
  RequestAuthentication: { group: "security.istio.io", version: "v1", plural: "requestauthentications", kind: "RequestAuthentication", namespaced: true },
  Sidecar: { group: "networking.istio.io", version: "v1", plural: "sidecars", kind: "Sidecar", namespaced: true },
  Gateway: { group: "gateway.networking.k8s.io", version: "v1", plural: "gateways", kind: "Gateway", namespaced: true },
  HTTPRoute: { group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes", kind: "HTTPRoute", namespaced: true },
  GRPCRoute: { group: "gateway.networking.k8s.io", version: "v1", plural: "grpcroutes", kind: "GRPCRoute", namespaced: true },
  GatewayClass: { group: "gateway.networking.k8s.io", version: "v1", plural: "gatewayclasses", kind: "GatewayClass", namespaced: false },
  // v1beta1 rather than v1: served by every Gateway API release that has ReferenceGrant.
  ReferenceGrant: { group: "gateway.networking.k8s.io", version: "v1beta1", plural: "referencegrants", kind: "ReferenceGrant", namespaced: true },
  // Higress: the registries (Nacos, ZooKeeper, …) the gateway discovers services from.
  McpBridge: { group: "networking.higress.io", version: "v1", plural: "mcpbridges", kind: "McpBridge", namespaced: true },
} as const satisfies Record<string, ResourceType>;

export type ResourceKind = keyof typeof RESOURCES;
export const RESOURCE_KINDS = Object.keys(RESOURCES) as ResourceKind[];

export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === "string" && Object.hasOwn(RESOURCES, value);
}

export function resourceType(kind: ResourceKind): ResourceType {
  // Callers may hand us a string from a route parameter typed as ResourceKind by a cast.
  if (!isResourceKind(kind)) throw validation("kind", "is not a kind the console manages", { kind: String(kind) });
  return RESOURCES[kind];
}

/** `group/version`, as in an object's apiVersion. */
export function apiVersionOf(kind: ResourceKind): string {
  const t = resourceType(kind);
  return `${t.group}/${t.version}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `value` is not a valid namespace (RFC 1123 label, ≤ 63), or null when it is. */
export function namespaceProblem(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return "is required";
  if (value.length > 63) return "must be at most 63 characters";
  if (!DNS_LABEL.test(value)) return "must consist of lower-case letters, digits and '-', and start and end with a letter or digit";
  return null;
}

/** Why `value` is not a valid object name (RFC 1123 subdomain, ≤ 253), or null when it is. */
export function nameProblem(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return "is required";
  if (value.length > 253) return "must be at most 253 characters";
  if (!DNS_SUBDOMAIN.test(value)) {
    return "must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return null;
}

function validation(field: string, message: string, details: Record<string, unknown>): AppError {
  const fields: FieldIssue[] = [{ field, message: `${field} ${message}` }];
  return new AppError("VALIDATION", `invalid ${field}: ${message}`, {
    fields,
    details,
    userMessage: `The ${field} ${message}.`,
  });
}

/**
 * Checks the scope of `namespace` against the kind: namespaced kinds need a valid one,
 * cluster-scoped kinds take none. Throws VALIDATION naming the field.
 */
export function checkNamespace(kind: ResourceKind, namespace: string | null | undefined, opts: { optional?: boolean } = {}): void {
  const t = resourceType(kind);
  if (!t.namespaced) {
    if (namespace !== null && namespace !== undefined) {
      throw validation("namespace", `must be empty: ${kind} is cluster-scoped`, { kind, namespace });
    }
    return;
  }
  if ((namespace === null || namespace === undefined) && opts.optional) return;
  const problem = namespaceProblem(namespace);
  if (problem) throw validation("namespace", problem, { kind, namespace: typeof namespace === "string" ? namespace : undefined });
}

export function checkName(kind: ResourceKind, namespace: string | null | undefined, name: unknown): asserts name is string {
  const problem = nameProblem(name);
  if (problem) throw validation("name", problem, { kind, namespace: namespace ?? undefined });
}

/**
 * `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}]`. Validates before building:
 * nothing that is not an RFC 1123 name reaches a URL. `namespace` undefined on a namespaced
 * kind with no name means "all namespaces" (lists only).
 */
export function resourcePath(kind: ResourceKind, namespace: string | null | undefined, name?: string): string {
  const t = resourceType(kind);
  checkNamespace(kind, namespace, { optional: name === undefined });
  if (name !== undefined) checkName(kind, namespace, name);
  const ns = t.namespaced && namespace ? `/namespaces/${namespace}` : "";
  return `/apis/${t.group}/${t.version}${ns}/${t.plural}${name === undefined ? "" : `/${name}`}`;
}
