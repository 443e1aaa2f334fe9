/**
 * Reads of one zone's Nacos, cached like services.ts (same key shapes, so an instance change
 * invalidates both).
 */
import "server-only";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/client";
import { cachedRead } from "@/lib/registry/cache";
import { type Zone, clientOf } from "@/lib/registry/site-zones";

const CACHE_MS = 2_000;

/** Page size when walking a zone's whole service list (Nacos caps pages at 500). */
const WALK_PAGE_SIZE = 200;

/** A zone with more services than this is shown truncated rather than walked forever. */
const WALK_MAX_PAGES = 50;

/** A zone's whole service list (filtered by `search`), walked page by page; cached like services.ts. */
export async function zoneServices(z: Zone, namespace: string, search: string | undefined): Promise<{ services: NacosService[]; truncated: boolean }> {
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

export function zoneInstances(z: Zone, namespace: string, group: string, serviceName: string): Promise<NacosServiceInstance[]> {
  const client = clientOf(z);
  return cachedRead(`inst:${z.row.name}:${namespace}:${group}:${serviceName}`, CACHE_MS, () => client.listInstances({ namespace, group, serviceName }));
}
