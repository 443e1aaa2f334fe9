/**
 * TanStack Query keys of the mesh area and its page addresses. Every key of an environment's
 * mesh objects starts with ["mesh", environment, namespace], so one invalidation after a change
 * re-reads the list, the object, its revisions and validations.
 */
export interface MeshListFilters {
  kind: string;
  host: string;
  badge: string;
}

export const meshKeys = {
  all: ["mesh"] as const,
  namespace: (environment: string, namespace: string) => [...meshKeys.all, environment, namespace] as const,
  list: (environment: string, namespace: string, f: MeshListFilters) => [...meshKeys.namespace(environment, namespace), "list", f] as const,
  detail: (environment: string, namespace: string, kind: string, name: string) => [...meshKeys.namespace(environment, namespace), "object", kind, name] as const,
  revision: (environment: string, namespace: string, kind: string, name: string, revision: number) => [...meshKeys.detail(environment, namespace, kind, name), "revision", revision] as const,
  validate: (environment: string, namespace: string, text: string) => [...meshKeys.namespace(environment, namespace), "validate", text] as const,
};

const seg = (parts: string[]) => parts.map(encodeURIComponent).join("/");

export const meshPaths = {
  list: (namespace: string) => `/mesh?ns=${encodeURIComponent(namespace)}`,
  object: (environment: string, namespace: string, kind: string, name: string) => `/mesh/${seg([environment, namespace, kind, name])}`,
  editor: (environment: string, namespace: string, kind?: string, name?: string) => `/mesh/${seg([environment, namespace])}/edit${kind && name ? `?kind=${encodeURIComponent(kind)}&name=${encodeURIComponent(name)}` : ""}`,
  wizard: (environment: string, namespace: string, wizard: string, name?: string) => `/mesh/${seg([environment, namespace])}/wizard/${encodeURIComponent(wizard)}${name ? `?name=${encodeURIComponent(name)}` : ""}`,
};
