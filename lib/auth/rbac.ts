/**
 * The one permission matrix: role × permission, and scope matching for bindings. Pure (no
 * I/O), deny by default; tested exhaustively in rbac.test.ts. Permissions and audit actions
 * share one vocabulary (`area.noun.verb`).
 */

export const ROLES = ["admin", "operator", "developer", "auditor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "profile.write",
  "environment.read",
  "environment.admin",
  "access.read",
  "access.admin",
  "service.read",
  "service.instance.write",
  "registry.znode.read",
  "registry.znode.write",
  "config.read",
  "config.publish",
  "config.gray",
  "mesh.policy.read",
  "mesh.policy.write",
  "gateway.route.read",
  "gateway.route.write",
  "audit.read",
  "audit.export",
  "audit.verify",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READS: Permission[] = ["environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read"];

/** What each role may do. Anything not listed is denied. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: [
    "profile.write",
    ...READS,
    "service.instance.write",
    // Raw znodes (ZooKeeper registries) are for operators and up, not developers or viewers.
    "registry.znode.read",
    "config.publish",
    "config.gray",
    "mesh.policy.write",
    "gateway.route.write",
  ],
  // Developers edit what their bindings' scope allows, typically tier=dev.
  developer: ["profile.write", ...READS, "service.instance.write", "config.publish", "config.gray", "mesh.policy.write"],
  // Auditors read everything in scope and the whole audit trail, and change nothing.
  auditor: ["profile.write", ...READS, "access.read", "audit.read", "audit.export", "audit.verify"],
  viewer: ["profile.write", ...READS],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export interface Grant {
  role: Role;
  /** "*" or comma-separated key=value pairs that must all match the environment's labels. */
  environmentSelector: string;
  /** Glob over namespace names: "*" or e.g. "team-a-*". */
  namespacePattern: string;
  /** Where the grant comes from: "user" or "group:<dn>" (for "who can do what"). */
  via: string;
  bindingId: string;
  /** Set by a read-only API token: the grant allows reads only. */
  readOnly?: boolean;
}

export interface Scope {
  environment?: { name: string; labels: Record<string, string> };
  namespace?: string;
}

/**
 * "*" (or empty) for every environment, else comma-separated `key=value` terms that must all
 * match. A key given twice is invalid (it would otherwise let the later term win silently).
 */
export function parseSelector(selector: string): Record<string, string> | "*" {
  const s = selector.trim();
  if (s === "*" || s === "") return "*";
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of s.split(",")) {
    const [k, v, ...rest] = part.split("=").map((x) => x.trim());
    if (!k || v === undefined || rest.length > 0) throw new Error(`invalid selector term "${part}"`);
    if (Object.hasOwn(out, k)) throw new Error(`selector key "${k}" is given twice`);
    out[k] = v;
  }
  return out;
}

/**
 * The selector matching exactly the environments both selectors match, or null when no
 * environment can match both (the same key with two values). Either side malformed → null.
 */
export function intersectSelectors(a: string, b: string): string | null {
  let pa: Record<string, string> | "*";
  let pb: Record<string, string> | "*";
  try {
    pa = parseSelector(a);
    pb = parseSelector(b);
  } catch {
    return null;
  }
  if (pa === "*") return pb === "*" ? "*" : formatSelector(pb);
  if (pb === "*") return formatSelector(pa);
  const merged: Record<string, string> = { ...pa };
  for (const [k, v] of Object.entries(pb)) {
    if (Object.hasOwn(merged, k) && merged[k] !== v) return null;
    merged[k] = v;
  }
  return formatSelector(merged);
}

function formatSelector(terms: Record<string, string>): string {
  return Object.keys(terms)
    .sort()
    .map((k) => `${k}=${terms[k]}`)
    .join(",");
}

export function selectorMatches(selector: string, labels: Record<string, string>): boolean {
  let parsed: Record<string, string> | "*";
  try {
    parsed = parseSelector(selector);
  } catch {
    return false; // a malformed selector grants nothing
  }
  if (parsed === "*") return true;
  return Object.entries(parsed).every(([k, v]) => labels[k] === v);
}

export function globMatches(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  // "a&b": both globs must match (a token's scope narrowing a binding's).
  if (pattern.includes("&")) return pattern.split("&").every((p) => globMatches(p, value));
  const re = new RegExp(
    "^" +
      pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*") +
      "$",
  );
  return re.test(value);
}

/** Permissions a read-only token keeps. */
export const READ_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "environment.read",
  "access.read",
  "service.read",
  "registry.znode.read",
  "config.read",
  "mesh.policy.read",
  "gateway.route.read",
  "audit.read",
  "audit.export",
  "audit.verify",
]);

/**
 * Narrows grants by an API token's scope: the token can only take away, never add. Each
 * grant keeps the environments both it and the token select (a key the two set to different
 * values leaves no environment: the grant is dropped), the namespaces both globs match, and
 * reads only when either is read-only. Proven a subset of the owner's rights for every
 * environment and namespace by the property test in rbac.test.ts.
 */
export function narrowGrants(grants: readonly Grant[], scope: { environmentSelector: string; namespacePattern: string; readOnly: boolean }): Grant[] {
  const tokenNs = scope.namespacePattern.trim() || "*";
  const out: Grant[] = [];
  for (const g of grants) {
    const environmentSelector = intersectSelectors(g.environmentSelector, scope.environmentSelector);
    if (environmentSelector === null) continue;
    const ns = g.namespacePattern.trim() || "*";
    const namespacePattern = ns === "*" ? tokenNs : tokenNs === "*" ? ns : `${ns}&${tokenNs}`;
    out.push({ ...g, environmentSelector, namespacePattern, readOnly: Boolean(g.readOnly || scope.readOnly) });
  }
  return out;
}

export function grantCovers(grant: Grant, scope: Scope | undefined): boolean {
  if (!scope) return true;
  if (scope.environment && !selectorMatches(grant.environmentSelector, scope.environment.labels)) return false;
  if (scope.namespace !== undefined && !globMatches(grant.namespacePattern, scope.namespace)) return false;
  return true;
}

/**
 * The policy decision. Without a scope, the permission must be held somewhere (lists then
 * decide per item with its scope); with a scope, some grant must both allow it and cover the scope.
 * Global permissions (access, environments, audit export) need an unscoped grant.
 */
export function decide(grants: readonly Grant[], permission: Permission, scope?: Scope): boolean {
  const global = GLOBAL_PERMISSIONS.has(permission);
  return grants.some(
    (g) =>
      roleAllows(g.role, permission) &&
      (!g.readOnly || READ_PERMISSIONS.has(permission)) &&
      (global ? g.environmentSelector.trim() === "*" && g.namespacePattern === "*" : grantCovers(g, scope)),
  );
}

/** Permissions that are not about one environment: only an unscoped binding grants them. */
export const GLOBAL_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "environment.admin",
  "access.read",
  "access.admin",
  "registry.znode.write",
]);

/** Effective permissions: the union over all grants. */
export function effectivePermissions(grants: readonly Grant[]): Permission[] {
  return PERMISSIONS.filter((p) => grants.some((g) => roleAllows(g.role, p) && (!g.readOnly || READ_PERMISSIONS.has(p))));
}

/** Whether a string is a valid environment selector ("*" or key=value pairs). */
export function isValidSelector(selector: string): boolean {
  try {
    parseSelector(selector);
    return true;
  } catch {
    return false;
  }
}
