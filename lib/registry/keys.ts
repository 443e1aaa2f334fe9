/**
 * TanStack Query keys for registry reads in the browser. Every key of an environment's services
 * starts with ["services", environment], so one invalidation after a change re-reads them all.
 */
export interface ServiceListParams {
  search: string;
  page: number;
  pageSize: number;
  sort: { key: "name" | "instances" | "healthy"; desc: boolean } | null;
  unhealthyOnly: boolean;
}

export const serviceKeys = {
  all: ["services"] as const,
  environment: (environment: string) => [...serviceKeys.all, environment] as const,
  list: (environment: string, namespace: string, params: ServiceListParams) => [...serviceKeys.environment(environment), namespace, "list", params] as const,
  detail: (environment: string, namespace: string, group: string, serviceName: string) => [...serviceKeys.environment(environment), namespace, "detail", group, serviceName] as const,
};

export const siteKeys = {
  all: ["sites"] as const,
  site: (site: string) => [...siteKeys.all, site] as const,
  list: (site: string, namespace: string, search: string, page: number) => [...siteKeys.site(site), namespace, "list", search, page] as const,
  detail: (site: string, namespace: string, group: string, serviceName: string) => [...siteKeys.site(site), namespace, "detail", group, serviceName] as const,
};

export const znodeKeys = {
  all: ["znodes"] as const,
  environment: (environment: string) => [...znodeKeys.all, environment] as const,
  node: (environment: string, path: string) => [...znodeKeys.environment(environment), path] as const,
};

// Page addresses (components link to them; pages parse them back).

/** The namespace as a URL segment: Nacos' public namespace ("" here) is "public" in a URL. */
export function namespaceSegment(namespace: string): string {
  return namespace === "" ? "public" : namespace;
}

/** Inverse of namespaceSegment: "public" is Nacos' public namespace, "" here. */
export function namespaceFromSegment(segment: string): string {
  return segment === "public" ? "" : segment;
}

/** The service page's own URL: `/services/<env>/<namespace>/<group>/<service>`. */
export function servicePagePath(environment: string, namespace: string, group: string, service: string): string {
  return `/services/${[environment, namespaceSegment(namespace), group, service].map(encodeURIComponent).join("/")}`;
}
