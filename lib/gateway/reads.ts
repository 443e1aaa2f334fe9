/**
 * Reads of the gateway area, for the API and the pages: Gateways (Gateway API and Istio),
 * routes (HTTPRoute, read-only GRPCRoute, gateway-bound VirtualServices, one list marked by
 * type), the route map, one route with its model, traffic state and per-zone backends, and the
 * McpBridge registries. Who may: gateway.route.read in the environment (404 when the
 * environment is not visible); every listed object is filtered by the same decision on its
 * namespace (docs/security.md §16).
 */
import "server-only";
import { z } from "zod";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { k8sClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, UpstreamError } from "@/lib/errors";
import { backendHealth, listAll } from "@/lib/gateway/objects";
import { checkRoute, ClaimIndex, gatewayFacts, grantFacts, httpRouteFacts, istioGatewayFacts, virtualServiceFacts, type RouteFacts } from "@/lib/gateway/model/checks";
import { DEFAULT_HIGRESS_NAMESPACE, MCP_BRIDGE_NAME, redactRegistry, registryForZone } from "@/lib/gateway/model/registries";
import { routeFromObject } from "@/lib/gateway/model/route-model";
import { clusterRouteIssues } from "@/lib/gateway/route-issues";
import { readTrafficState, siteBackendLabels } from "@/lib/gateway/model/traffic";
import { siteZones, zoneHealth } from "@/lib/gateway/sites";
import type { GatewayView, RegistriesView, RouteDetailView, RouteListItem, RouteListPage, RouteMapView, RouteStatusView } from "@/lib/gateway/views";
import type { K8sClient } from "@/lib/k8s/client";
import type { KubeObject } from "@/lib/k8s/schemas";
import { editablePart, type ObjectIssue } from "@/lib/kube-objects";

/** The environment, when the actor may read gateway objects somewhere in it (else 404). */
export async function gatewayEnvironment(actor: Actor, environment: string): Promise<EnvironmentRow> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  if (!decide(actor.grants, "gateway.route.read", { environment: { name: row.name, labels: row.labels } })) throw new AppError("NOT_FOUND", `environment ${environment} not visible for gateway reads`);
  return row;
}

/**
 * Runs `fn` with a client for the environment's cluster, closed afterwards: each read opens its
 * own connections, so nothing is held between requests (and the route matrix can count them).
 */
export async function withCluster<T>(actor: Actor, environment: string, fn: (c: { row: EnvironmentRow; client: K8sClient }) => Promise<T>): Promise<T> {
  const row = await gatewayEnvironment(actor, environment);
  const client = k8sClientFor(row);
  if (!client) {
    throw new AppError("VALIDATION", `environment ${row.name} has no Kubernetes connection`, {
      fields: [{ field: "environment", message: "this environment has no Kubernetes connection" }],
      userMessage: `Environment ${row.name} has no Kubernetes connection; add one in Settings → Environments.`,
    });
  }
  try {
    return await fn({ row, client });
  } finally {
    client.close();
  }
}

function readable(actor: Actor, row: EnvironmentRow, namespace: string | undefined): boolean {
  return decide(actor.grants, "gateway.route.read", { environment: { name: row.name, labels: row.labels }, namespace: namespace ?? "default" });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function conditionsOf(v: unknown): RouteStatusView["conditions"] {
  return arr(v)
    .filter(isObj)
    .map((c) => ({ type: str(c.type) ?? "", status: str(c.status) ?? "Unknown", reason: str(c.reason), message: str(c.message) }));
}

// ------------------------------------------------------------------------------------- gateways

export const ListInput = z.object({ namespace: z.string().max(63).optional() }).strict();

function gatewayView(o: KubeObject, type: GatewayView["type"]): GatewayView {
  const spec = (o.spec ?? {}) as Obj;
  const status = isObj(o.status) ? o.status : {};
  const listeners =
    type === "Gateway"
      ? arr(spec.listeners)
          .filter(isObj)
          .map((l) => ({
            name: str(l.name) ?? "",
            hostname: str(l.hostname),
            port: typeof l.port === "number" ? l.port : 0,
            protocol: str(l.protocol) ?? "",
            tlsCertificateRefs: arr(isObj(l.tls) ? l.tls.certificateRefs : undefined)
              .filter(isObj)
              .map((r) => `${str(r.kind) ?? "Secret"} ${str(r.namespace) ?? o.metadata.namespace}/${str(r.name) ?? ""}`),
          }))
      : arr(spec.servers)
          .filter(isObj)
          .flatMap((s) =>
            arr(s.hosts)
              .filter((h): h is string => typeof h === "string")
              .map((h) => {
                const port = isObj(s.port) ? s.port : {};
                const tls = isObj(s.tls) ? s.tls : {};
                return { name: str(port.name) ?? "", hostname: h, port: typeof port.number === "number" ? port.number : 0, protocol: str(port.protocol) ?? "", tlsCertificateRefs: str(tls.credentialName) ? [`Secret ${o.metadata.namespace}/${str(tls.credentialName)}`] : [] };
              }),
          );
  return {
    type,
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
    resourceVersion: o.metadata.resourceVersion,
    className: str(spec.gatewayClassName),
    listeners,
    conditions: conditionsOf(isObj(status) ? status.conditions : undefined),
  };
}

/** Gateway API Gateways and Istio Gateways the actor may read. */
export async function listGateways(actor: Actor, environment: string, input: z.infer<typeof ListInput>): Promise<GatewayView[]> {
  const { row, gws, igws } = await withCluster(actor, environment, async ({ row, client }) => {
    const [gws, igws] = await Promise.all([listAll(client, "Gateway", input.namespace), listAll(client, "IstioGateway", input.namespace)]);
    return { row, gws, igws };
  });
  return [...gws.map((g) => gatewayView(g, "Gateway")), ...igws.map((g) => gatewayView(g, "IstioGateway"))]
    .filter((g) => readable(actor, row, g.namespace))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

// --------------------------------------------------------------------------------------- routes

export const RouteListInput = z
  .object({
    namespace: z.string().max(63).optional(),
    search: z.string().max(200).optional(),
    type: z.enum(["HTTPRoute", "GRPCRoute", "VirtualService"]).optional(),
    gateway: z.string().max(200).optional(),
    /** Only HTTPRoutes whose worst SY-G issue is an error (or a warning), as each route's page judges it. */
    issues: z.enum(["error", "warning"]).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type RouteListInput = z.infer<typeof RouteListInput>;

function matchText(m: RouteFacts["rules"][number]["matches"][number]): string {
  const parts: string[] = [];
  if (m.method) parts.push(m.method);
  parts.push(m.path ? `${m.path.type === "Exact" ? "=" : m.path.type === "RegularExpression" ? "~" : ""}${m.path.value}${m.path.type === "PathPrefix" ? "*" : ""}` : "/*");
  for (const h of m.headers ?? []) parts.push(`${h.name}${h.type === "RegularExpression" ? "~" : "="}${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`?${q.name}${q.type === "RegularExpression" ? "~" : "="}${q.value}`);
  return parts.join(" ");
}

function statusOf(o: KubeObject): RouteStatusView[] {
  const status = isObj(o.status) ? o.status : {};
  return arr(status.parents)
    .filter(isObj)
    .map((p) => {
      const ref = isObj(p.parentRef) ? p.parentRef : {};
      const conditions = conditionsOf(p.conditions);
      const get = (t: string) => conditions.find((c) => c.type === t)?.status ?? "Unknown";
      return { parent: `${str(ref.namespace) ?? o.metadata.namespace}/${str(ref.name) ?? ""}`, accepted: get("Accepted"), resolvedRefs: get("ResolvedRefs"), conditions };
    });
}

function grpcFacts(o: KubeObject): RouteFacts {
  const ns = o.metadata.namespace ?? "default";
  const spec = (o.spec ?? {}) as Obj;
  return {
    type: "HTTPRoute",
    namespace: ns,
    name: o.metadata.name,
    parents: arr(spec.parentRefs).filter(isObj).map((p) => ({ namespace: str(p.namespace) ?? ns, name: str(p.name) ?? "" })),
    hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === "string"),
    rules: arr(spec.rules)
      .filter(isObj)
      .map((r) => ({
        matches: arr(r.matches)
          .filter(isObj)
          .map((m) => {
            const method = isObj(m.method) ? m.method : {};
            return { path: { type: "Exact", value: `/${str(method.service) ?? "*"}/${str(method.method) ?? "*"}` } };
          }),
        backends: arr(r.backendRefs).filter(isObj).map((b) => ({ group: str(b.group) ?? "", kind: str(b.kind) ?? "Service", name: str(b.name) ?? "", namespace: str(b.namespace), weight: typeof b.weight === "number" ? b.weight : 1 })),
      })),
  };
}

function listItem(o: KubeObject, type: RouteListItem["type"], f: RouteFacts): RouteListItem {
  const state = type === "HTTPRoute" ? readTrafficState(o.metadata.annotations) : null;
  const labels = state ? siteBackendLabels(state) : {};
  return {
    type,
    namespace: f.namespace,
    name: f.name,
    resourceVersion: o.metadata.resourceVersion,
    hostnames: f.hostnames,
    parents: f.parents.map((p) => `${p.namespace}/${p.name}${p.sectionName ? `#${p.sectionName}` : ""}`),
    rules: f.rules.map((r) => ({ matches: r.matches.length ? r.matches.map(matchText) : ["/*"], backends: r.backends.map((b) => ({ name: b.name, kind: b.kind, namespace: b.namespace, weight: b.weight, ...(labels[b.name] ? { label: labels[b.name] } : {}) })) })),
    status: type === "VirtualService" ? [] : statusOf(o),
    canary: state?.canary ? { step: state.canary.step, percent: state.canary.steps[state.canary.step] ?? 0, steps: state.canary.steps } : undefined,
    drained: state?.drained.map((d) => d.zone) ?? [],
    siteBackends: state?.siteBackends.map((s) => ({ site: s.site, service: s.service, zones: Object.keys(s.zones) })) ?? [],
    readOnly: type !== "HTTPRoute",
  };
}

/** Every route the actor may read, unpaged (the list pages it, the map groups it). */
async function allRoutes(actor: Actor, environment: string, namespace?: string): Promise<{ row: EnvironmentRow; items: RouteListItem[] }> {
  const { row, https, grpcs, vss } = await withCluster(actor, environment, async ({ row, client }) => {
    const [https, grpcs, vss] = await Promise.all([listAll(client, "HTTPRoute", namespace), listAll(client, "GRPCRoute", namespace), listAll(client, "VirtualService", namespace)]);
    return { row, https, grpcs, vss };
  });
  const items: RouteListItem[] = [];
  for (const o of https) if (readable(actor, row, o.metadata.namespace)) items.push(listItem(o, "HTTPRoute", httpRouteFacts(o)));
  for (const o of grpcs) if (readable(actor, row, o.metadata.namespace)) items.push(listItem(o, "GRPCRoute", grpcFacts(o)));
  for (const o of vss) {
    if (!readable(actor, row, o.metadata.namespace)) continue;
    const f = virtualServiceFacts(o);
    if (f) items.push(listItem(o, "VirtualService", f));
  }
  items.sort((a, b) => (a.namespace === b.namespace ? (a.name === b.name ? a.type.localeCompare(b.type) : a.name.localeCompare(b.name)) : a.namespace.localeCompare(b.namespace)));
  return { row, items };
}

function matchesSearch(r: RouteListItem, search: string): boolean {
  const s = search.toLowerCase();
  return (
    r.name.toLowerCase().includes(s) ||
    r.namespace.toLowerCase().includes(s) ||
    r.hostnames.some((h) => h.toLowerCase().includes(s)) ||
    r.rules.some((x) => x.matches.some((m) => m.toLowerCase().includes(s)) || x.backends.some((b) => b.name.toLowerCase().includes(s)))
  );
}

/** One page of routes, filtered by namespace, type, parent gateway and a search over names, hostnames, matches and backends. */
export async function listRoutes(actor: Actor, environment: string, input: RouteListInput): Promise<RouteListPage> {
  const { items } = await allRoutes(actor, environment, input.namespace);
  const badged = input.issues ? await routesWithBadge(actor, environment, input.namespace, input.issues) : null;
  const filtered = items.filter(
    (r) =>
      (!input.type || r.type === input.type) &&
      (!input.gateway || r.parents.some((p) => p.split("#")[0] === input.gateway)) &&
      (!input.search || matchesSearch(r, input.search)) &&
      (!badged || (r.type === "HTTPRoute" && badged.has(`${r.namespace}/${r.name}`))),
  );
  const pages = Math.max(1, Math.ceil(filtered.length / input.pageSize));
  return { total: filtered.length, page: input.page, pages, items: filtered.slice((input.page - 1) * input.pageSize, input.page * input.pageSize) };
}

/** The HTTPRoutes (namespace/name) whose worst issue has `severity`, judged as each route's page judges it. */
async function routesWithBadge(actor: Actor, environment: string, namespace: string | undefined, severity: "error" | "warning"): Promise<Set<string>> {
  const judged = await withCluster(actor, environment, ({ row, client }) => clusterRouteIssues(actor, row, client, namespace));
  const worst = (issues: ObjectIssue[]) => (issues.some((i) => i.severity === "error") ? "error" : issues.some((i) => i.severity === "warning") ? "warning" : "ok");
  return new Set(judged.filter((r) => worst(r.issues) === severity).map((r) => `${r.namespace}/${r.name}`));
}

/** Per gateway: its hostnames → matches → backends with weights, for the route map. */
export async function routeMap(actor: Actor, environment: string, input: { namespace?: string; search?: string }): Promise<RouteMapView> {
  const { items } = await allRoutes(actor, environment, input.namespace);
  const gateways = new Map<string, RouteMapView["gateways"][number]>();
  for (const r of items) {
    if (input.search && !matchesSearch(r, input.search)) continue;
    for (const p of r.parents) {
      const key = p.split("#")[0]!;
      let g = gateways.get(key);
      if (!g) {
        g = { gateway: key, routes: [] };
        gateways.set(key, g);
      }
      g.routes.push({ type: r.type, namespace: r.namespace, name: r.name, hostnames: r.hostnames.length ? r.hostnames : ["*"], rules: r.rules, drained: r.drained, canary: r.canary });
    }
  }
  return { gateways: [...gateways.values()].sort((a, b) => a.gateway.localeCompare(b.gateway)) };
}

/** One HTTPRoute: the object, its editor model, traffic state, status and the health of its backends per zone. */
export async function getRoute(actor: Actor, environment: string, namespace: string, name: string): Promise<RouteDetailView> {
  return withCluster(actor, environment, async ({ row, client }) => {
    if (!readable(actor, row, namespace)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible in ${row.name}`);
    const o = await client.get("HTTPRoute", namespace, name);
    if (!o) throw new UpstreamError("NOT_FOUND", "kubernetes", `HTTPRoute ${namespace}/${name} not found`, { environment: row.name, userMessage: `HTTPRoute ${namespace}/${name} does not exist.` });
    const state = readTrafficState(o.metadata.annotations);
    const editable = editablePart(o)!;
    const { health } = await backendHealth(actor, row, editable);
    const zones = await Promise.all(
      state.siteBackends.map(async (sb) => {
        const visible = await siteZones(actor, sb.site).catch(() => []);
        const perZone = await Promise.all(
          Object.entries(sb.zones).map(async ([zone, host]) => {
            const z = visible.find((x) => x.zone === zone);
            if (!z) return { zone, environment: "", host, health: null, error: "hidden" };
            return { ...(await zoneHealth(actor, z, sb.service, sb.group)), host };
          }),
        );
        return { rule: sb.rule, site: sb.site, service: sb.service, group: sb.group, zones: perZone };
      }),
    );
    const [routes, vss, gws, igws, grants] = await Promise.all([listAll(client, "HTTPRoute"), listAll(client, "VirtualService"), listAll(client, "Gateway"), listAll(client, "IstioGateway"), listAll(client, "ReferenceGrant")]);
    const others = [...routes.filter((r) => !(r.metadata.namespace === namespace && r.metadata.name === name)).map(httpRouteFacts), ...vss.map(virtualServiceFacts).filter((r): r is RouteFacts => r !== null)].map((r) =>
      readable(actor, row, r.namespace) ? r : { ...r, namespace: "(a namespace you cannot read)", name: "(hidden)" },
    );
    const zoneOf = new Map(state.siteBackends.flatMap((sb) => Object.entries(sb.zones).map(([z, h]) => [h, z] as const)));
    const issues = checkRoute(httpRouteFacts(o), { others, gateways: [...gws.map(gatewayFacts), ...igws.map(istioGatewayFacts)], grants: grants.map(grantFacts), health: (n) => health.get(n), zoneOf: (n) => zoneOf.get(n) }, new ClaimIndex(others));
    return {
      object: { ...editable, metadata: { ...editable.metadata, resourceVersion: o.metadata.resourceVersion } },
      resourceVersion: o.metadata.resourceVersion,
      model: routeFromObject({ metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace }, spec: o.spec }),
      state,
      status: statusOf(o),
      siteBackends: zones,
      issues,
      canWrite: decide(actor.grants, "gateway.route.write", { environment: { name: row.name, labels: row.labels }, namespace }),
    };
  });
}

/** Any gateway object (Gateway, IstioGateway, McpBridge) as stored, with its status. */
export async function getObject(actor: Actor, environment: string, kind: "Gateway" | "IstioGateway" | "McpBridge", namespace: string, name: string) {
  return withCluster(actor, environment, async ({ row, client }) => {
    if (!readable(actor, row, namespace)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible in ${row.name}`);
    const o = await client.get(kind, namespace, name);
    if (!o) throw new UpstreamError("NOT_FOUND", "kubernetes", `${kind} ${namespace}/${name} not found`, { environment: row.name, userMessage: `${kind} ${namespace}/${name} does not exist.` });
    const e = editablePart(o)!;
    const spec = kind === "McpBridge" ? { ...(e.spec ?? {}), registries: arr(e.spec?.registries).filter(isObj).map(redactRegistry) } : e.spec;
    return { object: { ...e, spec, metadata: { ...e.metadata, resourceVersion: o.metadata.resourceVersion } }, resourceVersion: o.metadata.resourceVersion, status: o.status ?? null };
  });
}

// ----------------------------------------------------------------------------------- registries

export const RegistriesInput = z.object({ namespace: z.string().max(63).optional() }).strict();

/** The McpBridge's registries (secrets redacted) beside the registries the site's zones would add. */
export async function getRegistries(actor: Actor, environment: string, input: z.infer<typeof RegistriesInput>): Promise<RegistriesView> {
  const namespace = input.namespace || DEFAULT_HIGRESS_NAMESPACE;
  const { row, bridge } = await withCluster(actor, environment, async ({ row, client }) => {
    if (!readable(actor, row, namespace)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible`);
    const bridge = await client.get("McpBridge", namespace, MCP_BRIDGE_NAME).catch((e: unknown) => {
      if (e instanceof UpstreamError && e.code === "NOT_FOUND") return null;
      throw e;
    });
    return { row, bridge };
  });
  const site = row.labels.site;
  const zones = site ? await siteZones(actor, site).catch(() => []) : [];
  const spec = (bridge?.spec ?? {}) as Obj;
  return {
    namespace,
    name: MCP_BRIDGE_NAME,
    exists: bridge !== null,
    resourceVersion: bridge?.metadata.resourceVersion ?? null,
    registries: arr(spec.registries).filter(isObj).map(redactRegistry),
    site: site ?? null,
    zones: zones.map((z) => ({ zone: z.zone, environment: z.environment, registryKind: z.registryKind, namespace: z.namespace, registry: registryForZone(z.source) })),
    canWrite: decide(actor.grants, "gateway.route.write", { environment: { name: row.name, labels: row.labels }, namespace }),
  };
}
