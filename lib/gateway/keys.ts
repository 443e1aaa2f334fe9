/**
 * TanStack Query keys and page paths of the gateway area. Every key of an environment starts with
 * ["gateway", environment], so one invalidation after a change re-reads lists, map and routes.
 */
export interface RouteListParams {
  namespace: string;
  search: string;
  type: "" | "HTTPRoute" | "GRPCRoute" | "VirtualService";
  /** Only HTTPRoutes whose worst issue is an error or a warning (the overview links here). */
  issues?: "" | "error" | "warning";
  page: number;
  pageSize: number;
}

export const gatewayKeys = {
  all: ["gateway"] as const,
  environment: (environment: string) => [...gatewayKeys.all, environment] as const,
  gateways: (environment: string) => [...gatewayKeys.environment(environment), "gateways"] as const,
  routes: (environment: string, params: RouteListParams) => [...gatewayKeys.environment(environment), "routes", params] as const,
  map: (environment: string, search: string) => [...gatewayKeys.environment(environment), "map", search] as const,
  route: (environment: string, namespace: string, name: string) => [...gatewayKeys.environment(environment), "route", namespace, name] as const,
  revisions: (environment: string, kind: string, namespace: string, name: string) => [...gatewayKeys.environment(environment), "revisions", kind, namespace, name] as const,
  registries: (environment: string) => [...gatewayKeys.environment(environment), "registries"] as const,
  backends: (environment: string, site: string, service: string, group: string) => [...gatewayKeys.environment(environment), "backends", site, service, group] as const,
};

const seg = encodeURIComponent;

/** The page of one route (its own URL, shareable). */
export function routePagePath(environment: string, namespace: string, name: string): string {
  return `/gateway/routes/${seg(environment)}/${seg(namespace)}/${seg(name)}`;
}

export function newRoutePath(environment: string): string {
  return `/gateway/routes/${seg(environment)}/new`;
}
