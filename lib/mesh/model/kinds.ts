/**
 * The Istio kinds of the Mesh area, in the order a multi-object change applies them (what is
 * referred to before what refers to it: DestinationRule subsets before the VirtualService
 * routing to them; RequestAuthentication before the AuthorizationPolicy requiring its principal).
 * Pure; shared with components.
 */
export const MESH_KINDS = [
  "ServiceEntry",
  "DestinationRule",
  "IstioGateway",
  "Sidecar",
  "PeerAuthentication",
  "RequestAuthentication",
  "AuthorizationPolicy",
  "VirtualService",
] as const;
export type MeshKind = (typeof MESH_KINDS)[number];

export function isMeshKind(v: unknown): v is MeshKind {
  return typeof v === "string" && (MESH_KINDS as readonly string[]).includes(v);
}

/** The Kubernetes kind (Istio's Gateway is keyed IstioGateway in the console). */
export const MESH_KIND_NAMES: Record<MeshKind, string> = {
  ServiceEntry: "ServiceEntry",
  DestinationRule: "DestinationRule",
  IstioGateway: "Gateway",
  Sidecar: "Sidecar",
  PeerAuthentication: "PeerAuthentication",
  RequestAuthentication: "RequestAuthentication",
  AuthorizationPolicy: "AuthorizationPolicy",
  VirtualService: "VirtualService",
};

export const MESH_API_VERSIONS: Record<MeshKind, string> = {
  ServiceEntry: "networking.istio.io/v1",
  DestinationRule: "networking.istio.io/v1",
  IstioGateway: "networking.istio.io/v1",
  Sidecar: "networking.istio.io/v1",
  PeerAuthentication: "security.istio.io/v1",
  RequestAuthentication: "security.istio.io/v1",
  AuthorizationPolicy: "security.istio.io/v1",
  VirtualService: "networking.istio.io/v1",
};

/** apiVersion + kind of an object → the console's kind key, or null. */
export function meshKindOf(o: { apiVersion?: unknown; kind?: unknown }): MeshKind | null {
  return MESH_KINDS.find((k) => MESH_KIND_NAMES[k] === o.kind && (o.apiVersion === undefined || String(o.apiVersion).split("/")[0] === MESH_API_VERSIONS[k].split("/")[0])) ?? null;
}
