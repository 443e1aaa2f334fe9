/**
 * Reads of one zone's registry, cached like services.ts (same key shapes, so an instance change
 * invalidates both). A ZooKeeper zone (issue #11: such zones were silently left out) is read
 * through zookeeper-services.ts; it has no namespaces, and its services without a group (Spring
 * Cloud, ungrouped Dubbo) line up with Nacos' DEFAULT_GROUP.
 */
import "server-only";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/client";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { cachedRead } from "@/lib/registry/cache";
import { type Zone, clientOf } from "@/lib/registry/site-zones";
import { getZookeeperService, listZookeeperServices, NO_GROUP } from "@/lib/registry/zookeeper-services";

const DEFAULT_GROUP = "DEFAULT_GROUP";
const zkToSite = (group: string) => (group === NO_GROUP ? DEFAULT_GROUP : group);
const siteToZk = (group: string) => (group === DEFAULT_GROUP ? NO_GROUP : group);
/** More services than this in one ZooKeeper zone: shown truncated, like a Nacos walk. */
const ZK_MAX = 10_000;

const CACHE_MS = 2_000;

/** Page size when walking a zone's whole service list (Nacos caps pages at 500). */
const WALK_PAGE_SIZE = 200;

/** A zone with more services than this is shown truncated rather than walked forever. */
const WALK_MAX_PAGES = 50;

/** A zone's whole service list (filtered by `search`), walked page by page; cached like services.ts. */
/** `actor`: needed for a ZooKeeper zone (its reads check scope themselves); Nacos zones were checked by the caller. */
export async function zoneServices(z: Zone, namespace: string, search: string | undefined, actor?: Actor): Promise<{ services: NacosService[]; truncated: boolean }> {
  if (z.row.registry?.kind === "zookeeper") {
    if (!actor) throw new AppError("INTERNAL", `zone ${z.zone} is ZooKeeper: read it with the actor`);
    const page = await listZookeeperServices(actor, z.row, { namespace: "", search, page: 1, pageSize: ZK_MAX });
    return { services: page.items.map((s) => ({ name: s.name, group: zkToSite(s.group), clusterCount: s.clusterCount, instanceCount: s.instanceCount, healthyInstanceCount: s.healthyInstanceCount })), truncated: page.total > page.items.length };
  }
  const client = clientOf(z);
  const services: NacosService[] = [];
  for (let page = 1; page <= WALK_MAX_PAGES; page++) {
    // Same key shape as lib/registry/services.ts, so an instance change invalidates both.
    const key = `svc:${z.row.name}:${namespace}::${search ?? ""}:${page}:${WALK_PAGE_SIZE}`;
    const p = await cachedRead(key, CACHE_MS, () => client.listServices({ namespace, serviceName: search || undefined, page, pageSize: WALK_PAGE_SIZE }));
    services.push(...p.items);
    if (p.items.length < WALK_PAGE_SIZE || page >= p.pages) return { services, truncated: false };
  }
  return { services, truncated: true };
}

export async function zoneInstances(z: Zone, namespace: string, group: string, serviceName: string, actor?: Actor): Promise<NacosServiceInstance[]> {
  if (z.row.registry?.kind === "zookeeper") {
    if (!actor) throw new AppError("INTERNAL", `zone ${z.zone} is ZooKeeper: read it with the actor`);
    const d = await getZookeeperService(actor, z.row, { namespace: "", group: siteToZk(group), serviceName });
    return d.instances.map((i) => ({ ...i, group: zkToSite(i.group) }));
  }
  const client = clientOf(z);
  return cachedRead(`inst:${z.row.name}:${namespace}:${group}:${serviceName}`, CACHE_MS, () => client.listInstances({ namespace, group, serviceName }));
}
