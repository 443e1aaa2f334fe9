/**
 * The gateway area's objects on the generic apply flow (lib/kube-objects): Gateway API Gateways
 * and HTTPRoutes, Istio Gateways and Higress McpBridges, written in that order when several go
 * together (registries before the gateways and routes that use them). Every write passes the
 * CRD schema, the SY-G checks below, a diff against the live object, a server dry run and the
 * resourceVersion guard, and leaves a revision (docs/security.md §27).
 */
import "server-only";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { isAppError } from "@/lib/errors";
import { checkRoute, ClaimIndex, gatewayFacts, grantFacts, httpRouteFacts, istioGatewayFacts, virtualServiceFacts, type BackendHealth, type GatewayFacts, type GrantFacts, type RouteFacts } from "@/lib/gateway/model/checks";
import { readTrafficState } from "@/lib/gateway/model/traffic";
import { siteZones, zoneHealth, type GatewayZone } from "@/lib/gateway/sites";
import type { K8sClient } from "@/lib/k8s/client";
import type { ResourceKind } from "@/lib/k8s/resources";
import type { KubeObject } from "@/lib/k8s/schemas";
import { kubeObjectFlow, type EditableObject, type ObjectIssue } from "@/lib/kube-objects";
import { zoneInstances } from "@/lib/registry/zone-reads";
import { countHealthy } from "@/lib/gateway/model/traffic";

export const GATEWAY_KINDS = ["McpBridge", "Gateway", "IstioGateway", "HTTPRoute"] as const;
export type GatewayKind = (typeof GATEWAY_KINDS)[number];

/** Every object of a kind in the cluster (all namespaces), walking pages; a kind the cluster does not serve is empty. */
export async function listAll(client: K8sClient, kind: ResourceKind, namespace?: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  try {
    do {
      const page = await client.list(kind, namespace, { limit: 500, continue: cont });
      items.push(...page.items);
      cont = page.continue;
    } while (cont && items.length < 50_000);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return [];
    throw e;
  }
  return items;
}

export interface ClusterFacts {
  routes: RouteFacts[];
  gateways: GatewayFacts[];
  grants: GrantFacts[];
}

/** The routes (HTTPRoutes and gateway-bound VirtualServices), gateways and ReferenceGrants of the cluster. */
export async function clusterFacts(client: K8sClient): Promise<ClusterFacts> {
  const [routes, vss, gws, igws, grants] = await Promise.all([
    listAll(client, "HTTPRoute"),
    listAll(client, "VirtualService"),
    listAll(client, "Gateway"),
    listAll(client, "IstioGateway"),
    listAll(client, "ReferenceGrant"),
  ]);
  return {
    routes: [...routes.map(httpRouteFacts), ...vss.map(virtualServiceFacts).filter((r): r is RouteFacts => r !== null)],
    gateways: [...gws.map(gatewayFacts), ...igws.map(istioGatewayFacts)],
    grants: grants.map(grantFacts),
  };
}

/** Parses `svc.GROUP.ns.nacos` back into its parts (the group's "-" read as "_"). */
function parseNacosHost(host: string): { service: string; group: string; namespace: string } | null {
  const m = /^(.+)\.([^.]+)\.([^.]+)\.nacos$/.exec(host);
  return m ? { service: m[1]!, group: m[2]!.replace(/-/g, "_"), namespace: m[3] === "public" ? "" : m[3]! } : null;
}

/**
 * The health of every registry backend of `route`: per zone for the site backends the route's
 * traffic state names, from the environment's own Nacos for other `*.nacos` hosts.
 */
export async function backendHealth(actor: Actor, row: EnvironmentRow, route: EditableObject): Promise<{ health: Map<string, BackendHealth>; zoneOf: Map<string, string>; expected: Map<string, Record<string, string | null>> }> {
  const health = new Map<string, BackendHealth>();
  const zoneOf = new Map<string, string>();
  const expected = new Map<string, Record<string, string | null>>();
  const state = readTrafficState(route.metadata.annotations);
  const zonesBySite = new Map<string, GatewayZone[]>();
  for (const sb of state.siteBackends) {
    let zones = zonesBySite.get(sb.site);
    if (!zones) {
      zones = await siteZones(actor, sb.site).catch(() => []);
      zonesBySite.set(sb.site, zones);
    }
    const exp: Record<string, string | null> = {};
    await Promise.all(
      Object.entries(sb.zones).map(async ([zone, host]) => {
        zoneOf.set(host, zone);
        const z = zones.find((x) => x.zone === zone);
        if (!z) {
          exp[zone] = null;
          return;
        }
        const h = await zoneHealth(actor, z, sb.service, sb.group);
        exp[zone] = h.host;
        if (h.health) health.set(host, { kind: "single", health: h.health });
      }),
    );
    expected.set(`${sb.rule}|${sb.site}|${sb.service}`, exp);
  }
  const rules = Array.isArray(route.spec?.rules) ? (route.spec.rules as Array<{ backendRefs?: Array<{ name?: string; kind?: string }> }>) : [];
  const own = row.registry?.kind === "nacos" ? row : null;
  for (const r of rules) {
    for (const b of r.backendRefs ?? []) {
      if (!b.name || health.has(b.name) || zoneOf.has(b.name) || b.kind !== "Hostname" || !own) continue;
      const parsed = parseNacosHost(b.name);
      if (!parsed) continue;
      if (!decide(actor.grants, "service.read", { environment: { name: own.name, labels: own.labels }, namespace: parsed.namespace || "public" })) continue;
      try {
        const instances = await zoneInstances({ zone: own.name, row: own }, parsed.namespace, parsed.group, parsed.service);
        health.set(b.name, { kind: "single", health: countHealthy(instances) });
      } catch (e) {
        if (isAppError(e) && e.code === "NOT_FOUND") health.set(b.name, { kind: "single", health: { healthy: 0, total: 0 } });
      }
    }
  }
  return { health, zoneOf, expected };
}

/** Routes in namespaces the actor may not read are reported without their names (docs/security.md §16). */
function hideUnreadable(actor: Actor, row: EnvironmentRow, routes: RouteFacts[]): RouteFacts[] {
  return routes.map((r) => (decide(actor.grants, "gateway.route.read", { environment: { name: row.name, labels: row.labels }, namespace: r.namespace }) ? r : { ...r, namespace: "(a namespace you cannot read)", name: "(hidden)" }));
}

/** The SY-G checks of the HTTPRoutes among `objects`, against the cluster and the registries. */
export async function checkGatewayObjects(objects: EditableObject[], actor: Actor, row: EnvironmentRow, client: K8sClient): Promise<ObjectIssue[]> {
  const routes = objects.filter((o) => o.kind === "HTTPRoute");
  if (!routes.length) return [];
  const facts = await clusterFacts(client);
  const writing = new Set(routes.map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
  const others = hideUnreadable(
    actor,
    row,
    facts.routes.filter((r) => !(r.type === "HTTPRoute" && writing.has(`${r.namespace}/${r.name}`))),
  );
  const index = new ClaimIndex(others);
  const issues: ObjectIssue[] = [];
  for (const r of routes) {
    const f = httpRouteFacts({ metadata: { name: r.metadata.name, namespace: r.metadata.namespace }, spec: r.spec });
    const { health, zoneOf, expected } = await backendHealth(actor, row, r);
    const state = readTrafficState(r.metadata.annotations);
    issues.push(
      ...checkRoute(
        f,
        {
          others,
          gateways: facts.gateways,
          grants: facts.grants,
          health: (n) => health.get(n),
          zoneOf: (n) => zoneOf.get(n),
          siteBackends: state.siteBackends.map((sb) => ({ rule: sb.rule, site: sb.site, service: sb.service, zones: sb.zones, expected: expected.get(`${sb.rule}|${sb.site}|${sb.service}`) })),
        },
        index,
      ),
    );
  }
  return issues;
}

export const GATEWAY = kubeObjectFlow({
  area: "gateway",
  kinds: GATEWAY_KINDS,
  readPermission: "gateway.route.read",
  writePermission: "gateway.route.write",
  actions: { write: "gateway.route.write", delete: "gateway.route.delete", rollback: "gateway.route.rollback" },
  check: (objects, ctx) => checkGatewayObjects(objects, ctx.actor, ctx.row, ctx.client),
});
