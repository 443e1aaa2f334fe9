/**
 * One view of a service across the zones of a site (seed 001: one registry per availability
 * zone; site-zones.ts says which environments form a site and how namespaces map per zone).
 *
 * Reads show only the zones the actor may read (service.read in that zone's environment and
 * namespace): Nacos reads in zone-reads.ts, the comparison in zone-merge.ts. "Disable this IP
 * in every zone" is one audited operation in disable-everywhere.ts (docs/security.md §28).
 */
import "server-only";
import { asc } from "drizzle-orm";
import pLimit from "p-limit";
import { z } from "zod";
import { environments, type EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { isAppError } from "@/lib/errors";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/client";
import { canSee, namespacesOf, readableZones, resolveSite, toZones, userMessageOf, writableEverywhere } from "@/lib/registry/site-zones";
import { GroupName, NamespaceId, ServiceNameField } from "@/lib/registry/zone-fields";
import { align, instanceDifferences, serviceCells, serviceUnion } from "@/lib/registry/zone-merge";
import { zoneInstances, zoneServices } from "@/lib/registry/zone-reads";
import type { MergedServiceDetail, MergedServiceRow, MergedServicesPage, SiteView, ZoneStatus } from "@/lib/registry/zone-views";

/** Parallel instance reads when comparing a page of services across zones. */
const READ_CONCURRENCY = 8;

/**
 * The sites the actor can see, each with its zones. Nacos and ZooKeeper environments with a
 * `site` label count. Who may: anyone; environments outside the actor's scope are left out.
 */
export async function listSites(actor: Actor): Promise<SiteView[]> {
  const rows = (await (await getDb()).select().from(environments).orderBy(asc(environments.name))).filter(
    (r) => (r.registry?.kind === "nacos" || r.registry?.kind === "zookeeper") && r.labels.site && canSee(actor, r) && decide(actor.grants, "service.read", { environment: { name: r.name, labels: r.labels } }),
  );
  const bySite = new Map<string, EnvironmentRow[]>();
  for (const r of rows) bySite.set(r.labels.site!, [...(bySite.get(r.labels.site!) ?? []), r]);
  return [...bySite.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([site, list]) => ({ site, zones: toZones(list).map((z) => ({ zone: z.zone, environment: z.row.name, namespaces: namespacesOf(z.row) })) }));
}

export const MergedServicesInput = z.object({
  /** Omitted: each zone's own first namespace; given (even "" = public): that namespace in every zone. */
  namespace: NamespaceId.optional(),
  search: z.string().regex(/^[A-Za-z0-9_.:@-]{0,128}$/, "letters, digits and . _ : @ - only").optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export type MergedServicesInput = z.infer<typeof MergedServicesInput>;

/**
 * A page over the union of a site's services: each service once, with instance and healthy
 * counts per zone and a `differences` flag (missing in a zone, or the same ip:port with another
 * weight, metadata or enabled flag). A zone whose Nacos does not answer is reported in `zones`
 * and left out of the comparison. Who may: service.read; only readable zones are included.
 */
export async function mergedServices(actor: Actor, site: string, input: MergedServicesInput): Promise<MergedServicesPage> {
  const { visible } = await resolveSite(actor, site, { withZookeeper: true });
  const zones = readableZones(actor, site, visible, input.namespace);
  const lists = await Promise.all(
    zones.map(async ({ z, namespace }) => {
      try {
        return { z, namespace, ...(await zoneServices(z, namespace, input.search, actor)), error: undefined as string | undefined };
      } catch (e) {
        return { z, namespace, services: [] as NacosService[], truncated: false, error: userMessageOf(e) };
      }
    }),
  );
  const statuses: ZoneStatus[] = lists.map((l) => ({ zone: l.z.zone, environment: l.z.row.name, namespace: l.namespace, ok: !l.error, ...(l.error ? { error: l.error } : {}) }));
  const names = serviceUnion(lists.map((l) => l.services));
  const pages = Math.max(1, Math.ceil(names.length / input.pageSize));
  const slice = names.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
  const byZone = new Map(lists.map((l) => [l.z.zone, new Map(l.services.map((s) => [`${s.group}@@${s.name}`, s]))]));

  const items = await pLimit(READ_CONCURRENCY).map(slice, async ({ name, group }): Promise<MergedServiceRow> => {
    const key = `${group}@@${name}`;
    const { cells, reasons } = serviceCells(lists.map((l) => ({ zone: l.z.zone, error: l.error, service: byZone.get(l.z.zone)!.get(key) })));
    const present = lists.filter((l) => cells[l.z.zone]!.state === "present" && cells[l.z.zone]!.instanceCount > 0);
    if (present.length > 1) {
      const instances = new Map<string, NacosServiceInstance[]>();
      await Promise.all(
        present.map(async (l) => {
          // An instance read that fails leaves the zone out of the comparison; the list still shows.
          const list = await zoneInstances(l.z, l.namespace, group, name, actor).catch(() => null);
          if (list) instances.set(l.z.zone, list);
        }),
      );
      const found = instanceDifferences(instances);
      for (const k of found.reasons) reasons.add(k);
      for (const zone of found.zones) cells[zone]!.differs = true;
    }
    return { name, group, differences: reasons.size > 0, reasons: [...reasons].sort(), cells };
  });

  return { site, zones: statuses, total: names.length, page: input.page, pages, truncated: lists.some((l) => l.truncated), items };
}

export const MergedServiceInput = z.object({
  namespace: NamespaceId.optional(),
  group: GroupName.default("DEFAULT_GROUP"),
  serviceName: ServiceNameField,
});

export type MergedServiceInput = z.infer<typeof MergedServiceInput>;

/**
 * One service in every readable zone of a site, its instances aligned by ip:port with the
 * fields that differ between zones marked. Who may: service.read; only readable zones.
 */
export async function mergedService(actor: Actor, site: string, input: MergedServiceInput): Promise<MergedServiceDetail> {
  const { all, visible } = await resolveSite(actor, site, { withZookeeper: true });
  const zones = readableZones(actor, site, visible, input.namespace);
  const statuses: ZoneStatus[] = [];
  const lists = new Map<string, NacosServiceInstance[]>();
  await Promise.all(
    zones.map(async ({ z, namespace }) => {
      try {
        lists.set(z.zone, await zoneInstances(z, namespace, input.group, input.serviceName, actor));
      } catch (e) {
        // A service that does not exist in a zone is "missing there", not an unreachable zone.
        if (!(isAppError(e) && e.code === "NOT_FOUND")) {
          statuses.push({ zone: z.zone, environment: z.row.name, namespace, ok: false, error: userMessageOf(e) });
          return;
        }
        lists.set(z.zone, []);
      }
      statuses.push({ zone: z.zone, environment: z.row.name, namespace, ok: true });
    }),
  );
  const order = zones.map(({ z }) => z.zone);
  statuses.sort((a, b) => order.indexOf(a.zone) - order.indexOf(b.zone));
  return {
    site,
    group: input.group,
    serviceName: input.serviceName,
    zones: statuses,
    rows: align(order, lists).map((r) => ({ ...r, cells: Object.fromEntries(order.map((n) => [n, lists.has(n) ? (r.cells[n] ?? null) : null])) })),
    // ZooKeeper zones are read-only here: with one in the site, "everywhere" cannot be done.
    canDisableEverywhere: all.every((z) => z.row.registry?.kind === "nacos") && writableEverywhere(actor, all, input.namespace),
  };
}
