/**
 * The SY-G issues of many HTTPRoutes at once, each judged as its own page judges it (getRoute in
 * lib/gateway/reads.ts): against every other route of the cluster (routes in namespaces the actor
 * may not read stay anonymous, docs/security.md §16), the gateways, the ReferenceGrants and the
 * health of its backends. For the route list's "with errors" filter and the overview's counts.
 */
import "server-only";
import pLimit from "p-limit";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { checkRoute, ClaimIndex, gatewayFacts, grantFacts, httpRouteFacts, istioGatewayFacts, virtualServiceFacts, type RouteFacts } from "@/lib/gateway/model/checks";
import { readTrafficState } from "@/lib/gateway/model/traffic";
import { backendHealth, listAll } from "@/lib/gateway/objects";
import type { K8sClient } from "@/lib/k8s/client";
import { editablePart, type ObjectIssue } from "@/lib/kube-objects";

/** Routes whose backends' health is read at once (each may ask a registry per zone). */
const HEALTH_READS = 4;

export interface RouteIssues {
  namespace: string;
  name: string;
  issues: ObjectIssue[];
}

/** Every HTTPRoute the actor may read (in `namespace` when given) with its issues. */
export async function clusterRouteIssues(actor: Actor, row: EnvironmentRow, client: K8sClient, namespace?: string): Promise<RouteIssues[]> {
  const readable = (ns: string | undefined) => decide(actor.grants, "gateway.route.read", { environment: { name: row.name, labels: row.labels }, namespace: ns ?? "default" });
  const [routes, vss, gws, igws, grants] = await Promise.all([listAll(client, "HTTPRoute"), listAll(client, "VirtualService"), listAll(client, "Gateway"), listAll(client, "IstioGateway"), listAll(client, "ReferenceGrant")]);
  const all: RouteFacts[] = [...routes.map(httpRouteFacts), ...vss.map(virtualServiceFacts).filter((r): r is RouteFacts => r !== null)].map((r) =>
    readable(r.namespace) ? r : { ...r, namespace: "(a namespace you cannot read)", name: "(hidden)" },
  );
  const gateways = [...gws.map(gatewayFacts), ...igws.map(istioGatewayFacts)];
  const grantList = grants.map(grantFacts);
  const limit = pLimit(HEALTH_READS);
  const mine = routes.filter((o) => readable(o.metadata.namespace) && (!namespace || o.metadata.namespace === namespace));
  return Promise.all(
    mine.map((o) =>
      limit(async () => {
        const ns = o.metadata.namespace ?? "default";
        const others = all.filter((r) => !(r.type === "HTTPRoute" && r.namespace === ns && r.name === o.metadata.name));
        const state = readTrafficState(o.metadata.annotations);
        const { health } = await backendHealth(actor, row, editablePart(o)!);
        const zoneOf = new Map(state.siteBackends.flatMap((sb) => Object.entries(sb.zones).map(([z, h]) => [h, z] as const)));
        const issues = checkRoute(httpRouteFacts(o), { others, gateways, grants: grantList, health: (n) => health.get(n), zoneOf: (n) => zoneOf.get(n) }, new ClaimIndex(others));
        return { namespace: ns, name: o.metadata.name, issues };
      }),
    ),
  );
}
