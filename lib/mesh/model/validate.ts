/**
 * The Mesh area's semantic and cross-layer rules (issue #14 item 4). Pure: the caller gathers
 * the facts (the namespace's Istio objects, the environment's registry services and instances,
 * Kubernetes Services where the cluster serves the core API) and this decides. Every rule has
 * an id, a severity and its message in English and Chinese. Structural problems (the CRD
 * schema) are SY-M001, found by lib/kube-objects.
 *
 * Indexes are built once per call, so validating thousands of objects against a registry of
 * ten thousand services stays linear (bench/mesh).
 */
import type { IssueSeverity, ObjectIssue } from "@/lib/kube-objects/model/issues";
import { MESH_KIND_NAMES, type MeshKind } from "@/lib/mesh/model/kinds";

export interface MeshObject {
  kind: MeshKind;
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
}

export interface RegistryInstanceFact {
  ip?: string;
  port?: number;
  healthy: boolean;
  enabled: boolean;
  metadata: Record<string, string>;
}

export interface MeshFacts {
  /**
   * The environment's registry: every service name, with its instances where they were read
   * (only services a DestinationRule or route refers to are read). null: no registry, or it could
   * not be read (the cross-layer rules on it are then skipped).
   */
  registry: { kind: "nacos" | "zookeeper"; services: ReadonlyMap<string, readonly RegistryInstanceFact[] | null> } | null;
  /** Kubernetes Services as "namespace/name"; null where the cluster does not serve the core API. */
  kubeServices: ReadonlySet<string> | null;
}

export interface RuleInfo {
  id: string;
  severity: IssueSeverity;
  title: string;
  titleZh: string;
}

export const MESH_RULES = {
  schema: { id: "SY-M001", severity: "error", title: "Fits the CRD schema the cluster serves", titleZh: "符合集群提供的 CRD 模式" },
  weights: { id: "SY-M002", severity: "error", title: "Route weights sum to 100", titleZh: "路由权重之和为 100" },
  subsetUndefined: { id: "SY-M003", severity: "error", title: "Every subset a route uses is defined by a DestinationRule for its host", titleZh: "路由使用的子集均由该主机的 DestinationRule 定义" },
  subsetDuplicate: { id: "SY-M004", severity: "error", title: "Subset names are unique in a DestinationRule", titleZh: "DestinationRule 中子集名称唯一" },
  hostClaimedTwice: { id: "SY-M005", severity: "warning", title: "One VirtualService per host in a namespace and gateway", titleZh: "同一命名空间和网关中每个主机只有一个 VirtualService" },
  gatewayMissing: { id: "SY-M006", severity: "error", title: "Referenced gateways exist", titleZh: "引用的网关存在" },
  principalFormat: { id: "SY-M007", severity: "error", title: "AuthorizationPolicy principals are <trust-domain>/ns/<namespace>/sa/<account>", titleZh: "AuthorizationPolicy 主体格式为 <信任域>/ns/<命名空间>/sa/<账号>" },
  namespaceFormat: { id: "SY-M008", severity: "error", title: "AuthorizationPolicy namespaces are namespace names or globs", titleZh: "AuthorizationPolicy 命名空间为名称或通配" },
  portMtlsNoSelector: { id: "SY-M009", severity: "error", title: "Port-level mTLS needs a workload selector", titleZh: "端口级 mTLS 需要工作负载选择器" },
  strictVsDisable: { id: "SY-M010", severity: "error", title: "No DestinationRule disables TLS where mTLS is STRICT", titleZh: "mTLS 为 STRICT 时没有 DestinationRule 禁用 TLS" },
  subsetNoInstances: { id: "SY-M011", severity: "warning", title: "Subset labels match instances in the registry", titleZh: "子集标签匹配注册中心中的实例" },
  hostUnknown: { id: "SY-M012", severity: "warning", title: "Destination hosts are a Kubernetes Service, a registry service or a ServiceEntry host", titleZh: "目标主机是 Kubernetes Service、注册中心服务或 ServiceEntry 主机" },
  subsetUnhealthy: { id: "SY-M013", severity: "warning", title: "A subset has healthy, enabled instances", titleZh: "子集中有健康且启用的实例" },
} as const satisfies Record<string, RuleInfo>;

export type MeshRuleKey = keyof typeof MESH_RULES;

type Spec = Record<string, unknown>;

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Spec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Spec) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A host as Istio resolves it from an object in `namespace`: short names are Services of that namespace. */
export function fqdn(host: string, namespace: string): string {
  if (host.includes("*")) return host;
  if (!host.includes(".")) return `${host}.${namespace}.svc.cluster.local`;
  const parts = host.split(".");
  if (parts.length === 2) return `${host}.svc.cluster.local`; // name.namespace
  if (parts.length === 3 && parts[2] === "svc") return `${host}.cluster.local`;
  return host;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern === "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return false;
}

interface Destination {
  host: string;
  subset?: string;
  path: Array<string | number>;
}

/** Every destination of a VirtualService's http, tcp and tls routes (and mirrors), with its path. */
function destinations(spec: Spec): Destination[] {
  const out: Destination[] = [];
  for (const proto of ["http", "tcp", "tls"] as const) {
    arr(spec[proto]).forEach((r, i) => {
      const rule = obj(r);
      arr(rule.route).forEach((d, j) => {
        const dest = obj(obj(d).destination);
        const host = str(dest.host);
        if (host) out.push({ host, subset: str(dest.subset), path: ["spec", proto, i, "route", j, "destination"] });
      });
      const mirror = obj(rule.mirror);
      if (str(mirror.host)) out.push({ host: str(mirror.host)!, subset: str(mirror.subset), path: ["spec", proto, i, "mirror"] });
    });
  }
  return out;
}

function pathString(path: ReadonlyArray<string | number>): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("") || "(root)";
}

const PRINCIPAL = /^(\*|\*?[^*/\s]+\/ns\/[^*/\s]+\/sa\/[^*/\s]+\*?|\*[^*\s]*|[^*\s]*\*)$/;
const FULL_PRINCIPAL = /^[^*/\s]+\/ns\/[^*/\s]+\/sa\/[^*/\s]+$/;
const NAMESPACE_GLOB = /^(\*|\*[-a-z0-9]+|[-a-z0-9]+\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

/** A principal as Istio reads it: "*", a prefix/suffix glob, or <trust-domain>/ns/<ns>/sa/<account>. */
export function principalProblem(p: string): string | null {
  if (p === "*") return null;
  if (p.startsWith("*") || p.endsWith("*")) return PRINCIPAL.test(p) && (p.match(/\*/g)?.length ?? 0) === 1 ? null : "only one * at the start or the end";
  return FULL_PRINCIPAL.test(p) ? null : "must be <trust-domain>/ns/<namespace>/sa/<service-account>, e.g. cluster.local/ns/default/sa/sleep";
}

export function namespaceGlobProblem(n: string): string | null {
  return NAMESPACE_GLOB.test(n) ? null : "must be a namespace name (lower-case letters, digits, '-') or a glob with * at the start or end";
}

/** The registry service a host names: the host itself (Nacos, Dubbo interface) or its short name. */
export function registryServiceFor(host: string, services: ReadonlyMap<string, unknown>): string | null {
  if (services.has(host)) return host;
  const first = host.split(".")[0]!;
  if (host.includes(".") && /\.svc(\.cluster\.local)?$|^[^.]+\.[^.]+$/.test(host) && services.has(first)) return first;
  return null;
}

function kubeServiceKey(host: string, namespace: string): string | null {
  const f = fqdn(host, namespace);
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(f);
  return m ? `${m[2]}/${m[1]}` : null;
}

const labelsMatch = (labels: Record<string, string>, metadata: Record<string, string>) => Object.entries(labels).every(([k, v]) => metadata[k] === v);

/**
 * Issues of `targets` (the objects being validated), judged among `context` (every object of the
 * namespace, targets included: a target replaces the live object of the same kind and name).
 */
export function validateMeshObjects(targets: readonly MeshObject[], context: readonly MeshObject[], facts: MeshFacts): ObjectIssue[] {
  const key = (o: MeshObject) => `${o.kind}/${o.namespace}/${o.name}`;
  const targetKeys = new Set(targets.map(key));
  const all = [...context.filter((o) => !targetKeys.has(key(o))), ...targets];
  const issues: ObjectIssue[] = [];
  const push = (o: MeshObject, rule: RuleInfo, path: ReadonlyArray<string | number>, message: string, messageZh: string) => {
    if (!targetKeys.has(key(o))) return;
    issues.push({ ruleId: rule.id, severity: rule.severity, path: pathString(path), message, messageZh, object: { kind: o.kind, namespace: o.namespace, name: o.name } });
  };

  // ---- indexes
  const drs = all.filter((o) => o.kind === "DestinationRule");
  const subsetsByHost = new Map<string, Set<string>>();
  const wildcardDrs: Array<{ host: string; subsets: Set<string> }> = [];
  for (const d of drs) {
    const host = str(d.spec.host);
    if (!host) continue;
    const names = new Set(arr(d.spec.subsets).map((s) => str(obj(s).name)).filter((n): n is string => Boolean(n)));
    const f = fqdn(host, d.namespace);
    if (f.includes("*")) wildcardDrs.push({ host: f, subsets: names });
    else {
      const set = subsetsByHost.get(f) ?? new Set<string>();
      names.forEach((n) => set.add(n));
      subsetsByHost.set(f, set);
    }
  }
  const gateways = new Set(all.filter((o) => o.kind === "IstioGateway").map((g) => `${g.namespace}/${g.name}`));
  const seHosts: string[] = [];
  const seExact = new Set<string>();
  for (const se of all.filter((o) => o.kind === "ServiceEntry")) {
    for (const h of arr(se.spec.hosts)) {
      if (typeof h !== "string") continue;
      if (h.includes("*")) seHosts.push(h);
      else seExact.add(h);
    }
  }
  const registry = facts.registry;

  // ---- VirtualService
  const vss = all.filter((o) => o.kind === "VirtualService");
  const claims = new Map<string, Set<MeshObject>>();
  for (const vs of vss) {
    const gws = arr(vs.spec.gateways).filter((g): g is string => typeof g === "string");
    const effective = gws.length ? gws : ["mesh"];
    for (const h of arr(vs.spec.hosts)) {
      if (typeof h !== "string") continue;
      for (const g of effective) {
        const gw = g === "mesh" ? "mesh" : g.includes("/") ? g : `${vs.namespace}/${g}`;
        const k = `${vs.namespace}|${gw}|${fqdn(h, vs.namespace)}`;
        claims.set(k, (claims.get(k) ?? new Set<MeshObject>()).add(vs));
      }
    }
  }
  const warned = new Set<string>();
  for (const [k, set] of claims) {
    const list = [...set];
    if (list.length < 2) continue;
    const [, gw, host] = k.split("|");
    for (const vs of list) {
      if (warned.has(`${vs.name}|${host}`)) continue;
      warned.add(`${vs.name}|${host}`);
      const others = list.filter((o) => o !== vs).map((o) => o.name).join(", ");
      push(vs, MESH_RULES.hostClaimedTwice, ["spec", "hosts"], `host ${host} on ${gw === "mesh" ? "the mesh" : `gateway ${gw}`} is also claimed by VirtualService ${others}; Istio merges them unpredictably`, `主机 ${host}（${gw === "mesh" ? "网格内" : `网关 ${gw}`}）同时被 VirtualService ${others} 声明，Istio 合并结果不可预测`);
    }
  }

  for (const vs of targets.filter((o) => o.kind === "VirtualService")) {
    // SY-M002 weights
    for (const proto of ["http", "tcp", "tls"] as const) {
      arr(vs.spec[proto]).forEach((r, i) => {
        const route = arr(obj(r).route);
        const weights = route.map((d) => obj(d).weight);
        const anySet = weights.some((w) => w !== undefined);
        if (!anySet && route.length <= 1) return;
        const sum = weights.reduce<number>((s, w) => s + (typeof w === "number" ? w : 0), 0);
        if (sum !== 100) {
          push(vs, MESH_RULES.weights, ["spec", proto, i, "route"], `route weights add up to ${sum}, not 100`, `路由权重之和为 ${sum}，不是 100`);
        }
      });
    }
    // SY-M006 gateways
    arr(vs.spec.gateways).forEach((g, i) => {
      if (typeof g !== "string" || g === "mesh") return;
      const ref = g.includes("/") ? g : `${vs.namespace}/${g}`;
      if (ref.split("/")[0] !== vs.namespace && !gateways.has(ref)) return; // another namespace's gateways are not loaded
      if (!gateways.has(ref)) push(vs, MESH_RULES.gatewayMissing, ["spec", "gateways", i], `gateway ${ref} does not exist`, `网关 ${ref} 不存在`);
    });
    for (const d of destinations(vs.spec)) {
      const f = fqdn(d.host, vs.namespace);
      // SY-M003 subsets
      if (d.subset) {
        const defined = subsetsByHost.get(f)?.has(d.subset) || wildcardDrs.some((w) => hostMatches(w.host, f) && w.subsets.has(d.subset!));
        if (!defined) push(vs, MESH_RULES.subsetUndefined, [...d.path, "subset"], `subset ${d.subset} of host ${d.host} is not defined by any DestinationRule`, `主机 ${d.host} 的子集 ${d.subset} 未被任何 DestinationRule 定义`);
      }
      // SY-M012 unknown host
      const known =
        seExact.has(d.host) ||
        seExact.has(f) ||
        seHosts.some((p) => hostMatches(p, d.host)) ||
        (registry ? registryServiceFor(d.host, registry.services) !== null : false) ||
        (facts.kubeServices ? facts.kubeServices.has(kubeServiceKey(d.host, vs.namespace) ?? "") : false);
      if (!known) {
        const looked = [facts.kubeServices ? "Kubernetes Services" : null, registry ? `the ${registry.kind === "nacos" ? "Nacos" : "ZooKeeper"} registry` : null, "ServiceEntry hosts"].filter(Boolean).join(", ");
        const lookedZh = [facts.kubeServices ? "Kubernetes Service" : null, registry ? `${registry.kind === "nacos" ? "Nacos" : "ZooKeeper"} 注册中心` : null, "ServiceEntry 主机"].filter(Boolean).join("、");
        push(vs, MESH_RULES.hostUnknown, [...d.path, "host"], `host ${d.host} is not found in ${looked}`, `在 ${lookedZh} 中找不到主机 ${d.host}`);
      }
    }
  }

  // ---- DestinationRule
  const strictNamespaces = new Set(
    all.filter((o) => o.kind === "PeerAuthentication" && str(obj(o.spec.mtls).mode) === "STRICT").map((o) => o.namespace),
  );
  for (const dr of targets.filter((o) => o.kind === "DestinationRule")) {
    const seen = new Map<string, number>();
    arr(dr.spec.subsets).forEach((s, i) => {
      const n = str(obj(s).name);
      if (!n) return;
      if (seen.has(n)) push(dr, MESH_RULES.subsetDuplicate, ["spec", "subsets", i, "name"], `subset ${n} is defined twice (also subsets[${seen.get(n)}])`, `子集 ${n} 重复定义（另见 subsets[${seen.get(n)}]）`);
      else seen.set(n, i);
    });
    const tlsMode = str(obj(obj(dr.spec.trafficPolicy).tls).mode);
    const host = str(dr.spec.host) ?? "";
    const hostNs = fqdn(host, dr.namespace).split(".")[1];
    if (tlsMode === "DISABLE" && (strictNamespaces.has(dr.namespace) || (hostNs && strictNamespaces.has(hostNs)))) {
      push(dr, MESH_RULES.strictVsDisable, ["spec", "trafficPolicy", "tls", "mode"], `TLS is disabled for ${host} while a PeerAuthentication requires STRICT mTLS: requests will fail`, `${host} 禁用了 TLS，而 PeerAuthentication 要求 STRICT mTLS：请求将失败`);
    }
    // SY-M011 / SY-M013: cross-layer, against the registry's instances
    if (!registry) continue;
    const svc = registryServiceFor(host, registry.services);
    const instances = svc ? registry.services.get(svc) : null;
    if (!svc || !instances) continue;
    arr(dr.spec.subsets).forEach((s, i) => {
      const subset = obj(s);
      const labels = obj(subset.labels) as Record<string, string>;
      if (Object.keys(labels).length === 0) return;
      const matching = instances.filter((inst) => labelsMatch(labels, inst.metadata));
      const sel = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
      if (matching.length === 0) {
        push(dr, MESH_RULES.subsetNoInstances, ["spec", "subsets", i, "labels"], `subset ${str(subset.name) ?? i} selects ${sel}, which no instance of ${svc} in the registry carries in its metadata`, `子集 ${str(subset.name) ?? i} 选择 ${sel}，但注册中心中 ${svc} 没有任何实例的元数据带有这些标签`);
      } else if (!matching.some((m) => m.healthy && m.enabled)) {
        push(dr, MESH_RULES.subsetUnhealthy, ["spec", "subsets", i], `all ${matching.length} instance(s) of subset ${str(subset.name) ?? i} are unhealthy or disabled in the registry`, `子集 ${str(subset.name) ?? i} 的全部 ${matching.length} 个实例在注册中心中不健康或已禁用`);
      }
    });
  }

  // ---- AuthorizationPolicy
  for (const ap of targets.filter((o) => o.kind === "AuthorizationPolicy")) {
    arr(ap.spec.rules).forEach((r, i) => {
      arr(obj(r).from).forEach((f, j) => {
        const source = obj(obj(f).source);
        for (const field of ["principals", "notPrincipals"] as const) {
          arr(source[field]).forEach((p, k) => {
            const problem = typeof p === "string" ? principalProblem(p) : "must be a string";
            if (problem) push(ap, MESH_RULES.principalFormat, ["spec", "rules", i, "from", j, "source", field, k], `principal "${String(p)}" ${problem}`, `主体 "${String(p)}" 格式不正确：应为 <信任域>/ns/<命名空间>/sa/<服务账号>，或只在开头或结尾带一个 *`);
          });
        }
        for (const field of ["namespaces", "notNamespaces"] as const) {
          arr(source[field]).forEach((n, k) => {
            const problem = typeof n === "string" ? namespaceGlobProblem(n) : "must be a string";
            if (problem) push(ap, MESH_RULES.namespaceFormat, ["spec", "rules", i, "from", j, "source", field, k], `namespace "${String(n)}" ${problem}`, `命名空间 "${String(n)}" 格式不正确：应为命名空间名称（小写字母、数字、'-'）或在开头或结尾带 * 的通配`);
          });
        }
      });
    });
  }

  // ---- PeerAuthentication
  for (const pa of targets.filter((o) => o.kind === "PeerAuthentication")) {
    const hasPorts = Object.keys(obj(pa.spec.portLevelMtls)).length > 0;
    const selector = obj(obj(pa.spec.selector).matchLabels);
    if (hasPorts && Object.keys(selector).length === 0) {
      push(pa, MESH_RULES.portMtlsNoSelector, ["spec", "portLevelMtls"], "port-level mTLS applies only with a workload selector (spec.selector.matchLabels); Istio ignores it here", "端口级 mTLS 仅在有工作负载选择器（spec.selector.matchLabels）时生效；此处会被 Istio 忽略");
    }
    if (str(obj(pa.spec.mtls).mode) === "STRICT") {
      for (const dr of all.filter((o) => o.kind === "DestinationRule" && o.namespace === pa.namespace && str(obj(obj(o.spec.trafficPolicy).tls).mode) === "DISABLE")) {
        push(pa, MESH_RULES.strictVsDisable, ["spec", "mtls", "mode"], `STRICT mTLS here, but DestinationRule ${dr.name} disables TLS for ${str(dr.spec.host) ?? "its host"}: those requests will fail`, `此处为 STRICT mTLS，但 DestinationRule ${dr.name} 对 ${str(dr.spec.host) ?? "其主机"} 禁用了 TLS：这些请求将失败`);
      }
    }
  }
  return issues;
}

/** The registry service names a set of objects refers to (DestinationRule hosts and route destinations): whose instances to read. */
export function referencedRegistryServices(objects: readonly MeshObject[], services: ReadonlyMap<string, unknown>): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    const hosts = o.kind === "DestinationRule" ? [str(o.spec.host)] : o.kind === "VirtualService" ? destinations(o.spec).map((d) => d.host) : [];
    for (const h of hosts) {
      const s = h ? registryServiceFor(h, services) : null;
      if (s) out.add(s);
    }
  }
  return [...out];
}

/** Badge of an object from its issues: errors, warnings or ok. */
export function badgeOf(issues: readonly ObjectIssue[]): "error" | "warning" | "ok" {
  if (issues.some((i) => i.severity === "error")) return "error";
  if (issues.some((i) => i.severity === "warning")) return "warning";
  return "ok";
}

/** References between objects for the detail view: VS → DR subsets, VS → Gateway, AuthZ → workloads. */
export interface MeshReference {
  from: { kind: MeshKind; name: string; namespace: string };
  to: { kind: MeshKind | "Workload"; name: string; namespace: string };
  via: string;
}

export function meshReferences(objects: readonly MeshObject[]): MeshReference[] {
  const out: MeshReference[] = [];
  const drs = objects.filter((o) => o.kind === "DestinationRule");
  for (const vs of objects.filter((o) => o.kind === "VirtualService")) {
    const f = (h: string) => fqdn(h, vs.namespace);
    for (const d of destinations(vs.spec)) {
      const defines = (x: MeshObject) => !d.subset || arr(x.spec.subsets).some((s) => str(obj(s).name) === d.subset);
      for (const dr of drs.filter((x) => str(x.spec.host) && hostMatches(fqdn(str(x.spec.host)!, x.namespace), f(d.host)) && defines(x))) {
        out.push({ from: ref(vs), to: ref(dr), via: d.subset ? `subset ${d.subset}` : `host ${d.host}` });
      }
    }
    for (const g of arr(vs.spec.gateways)) {
      if (typeof g !== "string" || g === "mesh") continue;
      const [ns, name] = g.includes("/") ? g.split("/") : [vs.namespace, g];
      out.push({ from: ref(vs), to: { kind: "IstioGateway", namespace: ns!, name: name! }, via: "gateway" });
    }
  }
  for (const o of objects.filter((x) => x.kind === "AuthorizationPolicy" || x.kind === "RequestAuthentication" || x.kind === "PeerAuthentication" || x.kind === "Sidecar")) {
    const labels = obj(obj(o.spec.selector).matchLabels);
    const wl = o.kind === "Sidecar" ? obj(obj(o.spec.workloadSelector).labels) : labels;
    const sel = Object.entries(wl).map(([k, v]) => `${k}=${String(v)}`).join(",");
    out.push({ from: ref(o), to: { kind: "Workload", namespace: o.namespace, name: sel || "*" }, via: sel ? "selector" : "every workload in the namespace" });
  }
  dedupe(out);
  return out;
}

function ref(o: MeshObject) {
  return { kind: o.kind, name: o.name, namespace: o.namespace };
}

function dedupe(list: MeshReference[]) {
  const seen = new Set<string>();
  for (let i = list.length - 1; i >= 0; i--) {
    const k = JSON.stringify(list[i]);
    if (seen.has(k)) list.splice(i, 1);
    else seen.add(k);
  }
}

export function kindLabel(kind: MeshKind): string {
  return MESH_KIND_NAMES[kind];
}
