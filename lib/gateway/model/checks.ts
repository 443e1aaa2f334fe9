/**
 * The gateway's checks before apply (ids SY-G…, in the same ObjectIssue shape as the mesh
 * rules and the CRD schema checks of lib/kube-objects). Pure: the caller gathers the facts —
 * the other routes of the cluster, the parent gateways, ReferenceGrants and registry health —
 * and this module decides. Built to stay fast over thousands of routes (bench/gateway): every
 * lookup is a Map built once per call.
 */
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";
import type { HealthCount } from "@/lib/gateway/model/traffic";

export const GATEWAY_RULES = {
  conflict: "SY-G001",
  noHealthyBackend: "SY-G002",
  hostnameNotServed: "SY-G003",
  zeroWeight: "SY-G004",
  crossNamespaceNoGrant: "SY-G005",
  parentMissing: "SY-G006",
  siteBackendMismatch: "SY-G007",
} as const;

/** One route's match, in the shape both HTTPRoutes and VirtualService http routes reduce to. */
export interface MatchFacts {
  path?: { type: string; value: string };
  headers?: Array<{ type: string; name: string; value: string }>;
  queryParams?: Array<{ type: string; name: string; value: string }>;
  method?: string;
}

export interface BackendFacts {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
  weight: number;
}

export interface RouteFacts {
  type: "HTTPRoute" | "VirtualService";
  namespace: string;
  name: string;
  parents: Array<{ namespace: string; name: string; sectionName?: string }>;
  hostnames: string[];
  rules: Array<{ matches: MatchFacts[]; backends: BackendFacts[] }>;
}

export interface ListenerFacts {
  name: string;
  hostname?: string;
}

export interface GatewayFacts {
  namespace: string;
  name: string;
  listeners: ListenerFacts[];
}

/** A ReferenceGrant: routes of `from` namespaces may refer to `to` kinds in the grant's namespace. */
export interface GrantFacts {
  namespace: string;
  from: Array<{ group: string; kind: string; namespace: string }>;
  to: Array<{ group: string; kind: string; name?: string }>;
}

/** Health of a backend by name: one count, or one per zone of a site backend. */
export type BackendHealth = { kind: "single"; health: HealthCount } | { kind: "zones"; zones: Record<string, HealthCount | null> };

export interface SiteBackendFacts {
  rule: number;
  site: string;
  service: string;
  /** zone → backendRef name the route should carry. */
  zones: Record<string, string>;
  /** zone → backendRef name the console derives from the zones' registries now (null: zone unknown). */
  expected?: Record<string, string | null>;
}

export interface CheckFacts {
  /** Every other route in the cluster the actor's view covers (the route itself may be among them: skipped by identity). */
  others: readonly RouteFacts[];
  gateways: readonly GatewayFacts[];
  grants: readonly GrantFacts[];
  /** Health of a registry backend by its backendRef name; undefined when the backend is not a registry service. */
  health?: (backendName: string) => BackendHealth | undefined;
  siteBackends?: readonly SiteBackendFacts[];
  /** zone name of each backendRef name of the site backends (for per-zone messages). */
  zoneOf?: (backendName: string) => string | undefined;
}

const GW_GROUP = "gateway.networking.k8s.io";

function canonicalMatch(m: MatchFacts): string {
  const sortNV = (l: MatchFacts["headers"]) => [...(l ?? [])].map((h) => `${h.type}:${h.name.toLowerCase()}=${h.value}`).sort();
  return JSON.stringify([m.path ? `${m.path.type}:${m.path.value}` : "PathPrefix:/", sortNV(m.headers), sortNV(m.queryParams), m.method ?? ""]);
}

function parentKey(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

/** Keys a route claims: parent × hostname × match. No hostnames = "*" (every listener hostname). */
function claims(r: RouteFacts): Array<{ key: string; parent: string; hostname: string; match: string; rule: number; matchIndex: number }> {
  const out: ReturnType<typeof claims> = [];
  const hostnames = r.hostnames.length ? r.hostnames : ["*"];
  r.rules.forEach((rule, ri) => {
    const matches = rule.matches.length ? rule.matches : [{}];
    matches.forEach((m, mi) => {
      const match = canonicalMatch(m);
      for (const p of r.parents) for (const h of hostnames) out.push({ key: `${parentKey(p)}|${h.toLowerCase()}|${match}`, parent: parentKey(p), hostname: h, match, rule: ri, matchIndex: mi });
    });
  });
  return out;
}

/** An index of the claims of many routes, built once (bench: 5,000 routes). */
export class ClaimIndex {
  private readonly byKey = new Map<string, Array<{ type: string; namespace: string; name: string }>>();
  constructor(routes: readonly RouteFacts[]) {
    for (const r of routes) {
      for (const c of claims(r)) {
        const list = this.byKey.get(c.key);
        const id = { type: r.type, namespace: r.namespace, name: r.name };
        if (!list) this.byKey.set(c.key, [id]);
        else if (!list.some((x) => x.type === id.type && x.namespace === id.namespace && x.name === id.name)) list.push(id);
      }
    }
  }
  others(key: string, self: { type: string; namespace: string; name: string }) {
    return (this.byKey.get(key) ?? []).filter((x) => !(x.type === self.type && x.namespace === self.namespace && x.name === self.name));
  }
}

/** Whether a listener hostname (undefined = any) serves a route hostname (Gateway API intersection rules). */
export function hostnameServed(listener: string | undefined, route: string): boolean {
  if (!listener) return true;
  const l = listener.toLowerCase();
  const r = route.toLowerCase();
  if (l === r) return true;
  const wildMatch = (wild: string, host: string) => wild.startsWith("*.") && host.endsWith(wild.slice(1)) && host.length > wild.length - 1;
  if (wildMatch(l, r)) return true;
  if (wildMatch(r, l)) return true;
  if (l.startsWith("*.") && r.startsWith("*.")) return r.endsWith(l.slice(1)) || l.endsWith(r.slice(1));
  return false;
}

function grantAllows(grants: readonly GrantFacts[], fromNs: string, to: { group: string; kind: string; name: string; namespace: string }): boolean {
  return grants.some(
    (g) =>
      g.namespace === to.namespace &&
      g.from.some((f) => f.group === GW_GROUP && f.kind === "HTTPRoute" && f.namespace === fromNs) &&
      g.to.some((t) => t.group === to.group && t.kind === to.kind && (!t.name || t.name === to.name)),
  );
}

interface Msg {
  en: string;
  zh: string;
}

/**
 * The SY-G issues of one HTTPRoute about to be written. `index` may be passed in when checking
 * many routes against the same others (the benchmark and the list's badges).
 */
export function checkRoute(route: RouteFacts, facts: CheckFacts, index: ClaimIndex = new ClaimIndex(facts.others)): ObjectIssue[] {
  const issues: ObjectIssue[] = [];
  const object = { kind: route.type, namespace: route.namespace, name: route.name };
  const add = (ruleId: string, severity: ObjectIssue["severity"], path: string, m: Msg) => issues.push({ ruleId, severity, path, message: m.en, messageZh: m.zh, object });

  // SY-G001: another route claims the same parent, hostname and match.
  const seen = new Set<string>();
  for (const c of claims(route)) {
    const clash = index.others(c.key, route);
    for (const o of clash) {
      const id = `${c.rule}|${c.matchIndex}|${o.type}|${o.namespace}/${o.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      add(GATEWAY_RULES.conflict, "error", `spec.rules[${c.rule}].matches[${c.matchIndex}]`, {
        en: `${o.type} ${o.namespace}/${o.name} already routes the same match for ${c.hostname} on gateway ${c.parent}; which one wins is up to the gateway`,
        zh: `${o.type} ${o.namespace}/${o.name} 已在网关 ${c.parent} 上为 ${c.hostname} 配置了相同的匹配条件，生效哪条由网关决定`,
      });
    }
  }

  // SY-G003 / SY-G006: hostnames no listener of the parent serves; a parent that does not exist.
  const gateways = new Map(facts.gateways.map((g) => [parentKey(g), g]));
  route.parents.forEach((p, pi) => {
    const g = gateways.get(parentKey(p));
    if (!g) {
      add(GATEWAY_RULES.parentMissing, "warning", `spec.parentRefs[${pi}]`, { en: `gateway ${parentKey(p)} does not exist`, zh: `网关 ${parentKey(p)} 不存在` });
      return;
    }
    const listeners = p.sectionName ? g.listeners.filter((l) => l.name === p.sectionName) : g.listeners;
    if (p.sectionName && !listeners.length) {
      add(GATEWAY_RULES.hostnameNotServed, "error", `spec.parentRefs[${pi}].sectionName`, { en: `gateway ${parentKey(p)} has no listener ${p.sectionName}`, zh: `网关 ${parentKey(p)} 没有名为 ${p.sectionName} 的监听器` });
      return;
    }
    route.hostnames.forEach((h, hi) => {
      if (!listeners.some((l) => hostnameServed(l.hostname, h))) {
        add(GATEWAY_RULES.hostnameNotServed, "error", `spec.hostnames[${hi}]`, {
          en: `no listener of gateway ${parentKey(p)} serves ${h} (listeners: ${listeners.map((l) => l.hostname ?? "*").join(", ") || "none"})`,
          zh: `网关 ${parentKey(p)} 没有监听器服务于 ${h}（监听器：${listeners.map((l) => l.hostname ?? "*").join("、") || "无"}）`,
        });
      }
    });
  });

  route.rules.forEach((rule, ri) => {
    // SY-G004: a rule whose backends all weigh 0 answers every request with an error.
    if (rule.backends.length && rule.backends.every((b) => b.weight === 0)) {
      add(GATEWAY_RULES.zeroWeight, "error", `spec.rules[${ri}].backendRefs`, { en: "every backend has weight 0: this rule would answer every request with an error", zh: "所有后端权重均为 0：该规则的每个请求都会返回错误" });
    }
    rule.backends.forEach((b, bi) => {
      // SY-G005: a backend in another namespace needs a ReferenceGrant there.
      if (b.namespace && b.namespace !== route.namespace && !grantAllows(facts.grants, route.namespace, { group: b.group, kind: b.kind, name: b.name, namespace: b.namespace })) {
        add(GATEWAY_RULES.crossNamespaceNoGrant, "error", `spec.rules[${ri}].backendRefs[${bi}].namespace`, {
          en: `${b.kind} ${b.namespace}/${b.name} is in another namespace and no ReferenceGrant in ${b.namespace} allows HTTPRoutes from ${route.namespace}`,
          zh: `${b.kind} ${b.namespace}/${b.name} 位于其他命名空间，且 ${b.namespace} 中没有允许来自 ${route.namespace} 的 HTTPRoute 的 ReferenceGrant`,
        });
      }
      // SY-G002: a backend that gets traffic but has no healthy instance in the registry.
      if (b.weight === 0) return;
      const h = facts.health?.(b.name);
      if (!h) return;
      if (h.kind === "single" && h.health.healthy === 0) {
        const zone = facts.zoneOf?.(b.name);
        add(GATEWAY_RULES.noHealthyBackend, "warning", `spec.rules[${ri}].backendRefs[${bi}]`, {
          en: zone ? `no healthy backend in zone ${zone}: ${b.name} has 0 of ${h.health.total} instances healthy and enabled` : `${b.name} has no healthy instance in the registry (0 of ${h.health.total})`,
          zh: zone ? `可用区 ${zone} 没有健康的后端：${b.name} 的 ${h.health.total} 个实例中健康且启用的为 0` : `${b.name} 在注册中心没有健康实例（0/${h.health.total}）`,
        });
      }
    });
  });

  // SY-G007: a site backend whose backendRefs no longer match the zones' registries.
  for (const sb of facts.siteBackends ?? []) {
    const rule = route.rules[sb.rule];
    const names = new Set((rule?.backends ?? []).map((b) => b.name));
    for (const [zone, host] of Object.entries(sb.zones)) {
      const expected = sb.expected?.[zone];
      if (!names.has(host) || (expected !== undefined && expected !== host)) {
        add(GATEWAY_RULES.siteBackendMismatch, "warning", `spec.rules[${sb.rule}].backendRefs`, {
          en: `service ${sb.service} of site ${sb.site}: zone ${zone} should be backend ${expected ?? host}, which the rule ${names.has(host) ? "names differently" : "does not have"}`,
          zh: `站点 ${sb.site} 的服务 ${sb.service}：可用区 ${zone} 应为后端 ${expected ?? host}，但规则中${names.has(host) ? "名称不一致" : "没有该后端"}`,
        });
      }
    }
  }
  return issues;
}

// ------------------------------------------------------------------------------- object → facts

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function httpRouteFacts(obj: { metadata: { name?: string; namespace?: string }; spec?: Obj }): RouteFacts {
  const ns = obj.metadata.namespace ?? "default";
  const spec = obj.spec ?? {};
  return {
    type: "HTTPRoute",
    namespace: ns,
    name: obj.metadata.name ?? "",
    parents: arr(spec.parentRefs)
      .filter(isObj)
      .filter((p) => (str(p.kind) ?? "Gateway") === "Gateway")
      .map((p) => ({ namespace: str(p.namespace) ?? ns, name: str(p.name) ?? "", ...(str(p.sectionName) ? { sectionName: str(p.sectionName) } : {}) })),
    hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === "string"),
    rules: arr(spec.rules)
      .filter(isObj)
      .map((r) => ({
        matches: arr(r.matches)
          .filter(isObj)
          .map((m) => ({
            path: isObj(m.path) ? { type: str(m.path.type) ?? "PathPrefix", value: str(m.path.value) ?? "/" } : undefined,
            headers: arr(m.headers).filter(isObj).map((h) => ({ type: str(h.type) ?? "Exact", name: str(h.name) ?? "", value: str(h.value) ?? "" })),
            queryParams: arr(m.queryParams).filter(isObj).map((h) => ({ type: str(h.type) ?? "Exact", name: str(h.name) ?? "", value: str(h.value) ?? "" })),
            method: str(m.method),
          })),
        backends: arr(r.backendRefs)
          .filter(isObj)
          .map((b) => ({ group: str(b.group) ?? "", kind: str(b.kind) ?? "Service", name: str(b.name) ?? "", namespace: str(b.namespace), weight: typeof b.weight === "number" ? b.weight : 1 })),
      })),
  };
}

function istioStringMatch(m: unknown): { type: string; value: string } | undefined {
  if (!isObj(m)) return undefined;
  if (typeof m.exact === "string") return { type: "Exact", value: m.exact };
  if (typeof m.prefix === "string") return { type: "PathPrefix", value: m.prefix };
  if (typeof m.regex === "string") return { type: "RegularExpression", value: m.regex };
  return undefined;
}

/** A VirtualService bound to gateways, as route facts (its `mesh` binding is not a gateway). */
export function virtualServiceFacts(obj: { metadata: { name?: string; namespace?: string }; spec?: Obj }): RouteFacts | null {
  const ns = obj.metadata.namespace ?? "default";
  const spec = obj.spec ?? {};
  const gateways = arr(spec.gateways).filter((g): g is string => typeof g === "string" && g !== "mesh");
  if (!gateways.length) return null;
  const kv = (v: unknown) =>
    isObj(v)
      ? Object.entries(v).flatMap(([name, m]) => {
          const s = istioStringMatch(m);
          return s ? [{ type: s.type === "PathPrefix" ? "Prefix" : s.type, name, value: s.value }] : [];
        })
      : [];
  return {
    type: "VirtualService",
    namespace: ns,
    name: obj.metadata.name ?? "",
    parents: gateways.map((g) => (g.includes("/") ? { namespace: g.split("/")[0]!, name: g.split("/")[1]! } : { namespace: ns, name: g })),
    hostnames: arr(spec.hosts).filter((h): h is string => typeof h === "string" && h !== "*"),
    rules: arr(spec.http)
      .filter(isObj)
      .map((h) => ({
        matches: arr(h.match)
          .filter(isObj)
          .map((m) => ({ path: istioStringMatch(m.uri), headers: kv(m.headers), queryParams: kv(m.queryParams), method: istioStringMatch(m.method)?.value })),
        backends: arr(h.route)
          .filter(isObj)
          .map((r) => ({ group: "networking.istio.io", kind: "Hostname", name: str(isObj(r.destination) ? r.destination.host : undefined) ?? "", weight: typeof r.weight === "number" ? r.weight : arr(h.route).length > 1 ? 0 : 100 })),
      })),
  };
}

export function gatewayFacts(obj: { metadata: { name?: string; namespace?: string }; spec?: Obj }): GatewayFacts {
  return {
    namespace: obj.metadata.namespace ?? "default",
    name: obj.metadata.name ?? "",
    listeners: arr(obj.spec?.listeners)
      .filter(isObj)
      .map((l) => ({ name: str(l.name) ?? "", ...(str(l.hostname) ? { hostname: str(l.hostname) } : {}) })),
  };
}

/** An Istio Gateway's servers as listeners: each host of each server ("ns/host" keeps the host). */
export function istioGatewayFacts(obj: { metadata: { name?: string; namespace?: string }; spec?: Obj }): GatewayFacts {
  return {
    namespace: obj.metadata.namespace ?? "default",
    name: obj.metadata.name ?? "",
    listeners: arr(obj.spec?.servers)
      .filter(isObj)
      .flatMap((s, si) =>
        arr(s.hosts)
          .filter((h): h is string => typeof h === "string")
          .map((h) => {
            const host = h.includes("/") ? h.split("/")[1]! : h;
            return { name: str(isObj(s.port) ? s.port.name : undefined) ?? `server-${si}`, ...(host === "*" ? {} : { hostname: host }) };
          }),
      ),
  };
}

export function grantFacts(obj: { metadata: { namespace?: string }; spec?: Obj }): GrantFacts {
  return {
    namespace: obj.metadata.namespace ?? "default",
    from: arr(obj.spec?.from).filter(isObj).map((f) => ({ group: str(f.group) ?? "", kind: str(f.kind) ?? "", namespace: str(f.namespace) ?? "" })),
    to: arr(obj.spec?.to).filter(isObj).map((t) => ({ group: str(t.group) ?? "", kind: str(t.kind) ?? "", ...(str(t.name) ? { name: str(t.name) } : {}) })),
  };
}
