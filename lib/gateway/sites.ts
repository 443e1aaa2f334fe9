/**
 * The zones a gateway reaches through its McpBridge: the environments of a site (label `site`)
 * that have a registry, Nacos or ZooKeeper, one zone each (named by the `zone` label, as in
 * lib/registry/site-zones.ts), and the health of a service in each zone as that zone's registry
 * reports it. Which zones and services the actor may see is decided here: a zone the actor may
 * not read shows as hidden (null), never with its counts.
 */
import "server-only";
import { asc, sql } from "drizzle-orm";
import { environments, type EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { AppError, isAppError } from "@/lib/errors";
import { countHealthy, type HealthCount } from "@/lib/gateway/model/traffic";
import { registryHost, type ZoneSource } from "@/lib/gateway/model/registries";
import { canSee, namespacesOf, toZones, type Zone } from "@/lib/registry/site-zones";
import { SiteName } from "@/lib/registry/zone-fields";
import { zoneInstances } from "@/lib/registry/zone-reads";
import { getZookeeperService, NO_GROUP } from "@/lib/registry/zookeeper-services";

export interface GatewayZone {
  zone: string;
  environment: string;
  registryKind: "nacos" | "zookeeper";
  /** Nacos: the zone's first configured namespace ("" = public). ZooKeeper: "". */
  namespace: string;
  source: ZoneSource;
  row: EnvironmentRow;
}

function sourceOf(z: Zone): ZoneSource | null {
  const r = z.row.registry;
  if (r?.kind === "nacos") return { zone: z.zone, environment: z.row.name, registry: { kind: "nacos", url: r.url, namespace: namespacesOf(z.row)[0] ?? "", username: r.username } };
  if (r?.kind === "zookeeper") return { zone: z.zone, environment: z.row.name, registry: { kind: "zookeeper", hosts: r.hosts, root: r.root, layout: r.layout } };
  return null;
}

/** The site's zones with a registry that the actor may see, in zone order; an unknown or invisible site is a 404. */
export async function siteZones(actor: Actor, site: string): Promise<GatewayZone[]> {
  const parsed = SiteName.safeParse(site);
  if (!parsed.success) throw new AppError("VALIDATION", "bad site name", { fields: [{ field: "site", message: parsed.error.issues[0]!.message }] });
  const rows = await (await getDb())
    .select()
    .from(environments)
    .where(sql`${environments.labels} ->> 'site' = ${parsed.data}`)
    .orderBy(asc(environments.name));
  const zones = toZones(rows.filter((r) => r.registry !== null && canSee(actor, r)));
  if (!zones.length) throw new AppError("NOT_FOUND", `site ${site} not visible`, { userMessage: `Site ${site} was not found.` });
  return zones.flatMap((z) => {
    const source = sourceOf(z);
    return source ? [{ zone: z.zone, environment: z.row.name, registryKind: source.registry.kind, namespace: source.registry.kind === "nacos" ? source.registry.namespace : "", source, row: z.row }] : [];
  });
}

export interface ZoneHealth {
  zone: string;
  environment: string;
  /** The backendRef name of the service in this zone. */
  host: string;
  /** null: the actor may not read this zone's services, or its registry did not answer (see error). */
  health: HealthCount | null;
  error?: string;
}

/** How many instances of `service` are healthy in one zone's registry; a service not registered there is 0 of 0. */
export async function zoneHealth(actor: Actor, z: GatewayZone, service: string, group: string): Promise<ZoneHealth> {
  const host = registryHost(z.registryKind, service, group, z.namespace);
  const base = { zone: z.zone, environment: z.environment, host };
  if (!decide(actor.grants, "service.read", { environment: { name: z.row.name, labels: z.row.labels }, namespace: z.namespace || "public" })) return { ...base, health: null, error: "hidden" };
  try {
    if (z.registryKind === "nacos") {
      const instances = await zoneInstances({ zone: z.zone, row: z.row }, z.namespace, group, service);
      return { ...base, health: countHealthy(instances) };
    }
    const d = await getZookeeperService(actor, z.row, { namespace: "", group: group === "DEFAULT_GROUP" ? NO_GROUP : group, serviceName: service });
    return { ...base, health: countHealthy(d.instances) };
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return { ...base, health: { healthy: 0, total: 0 } };
    return { ...base, health: null, error: isAppError(e) ? e.userMessage : "unexpected error; see the server log" };
  }
}

/** The health of a service in every visible zone of a site. */
export async function siteServiceHealth(actor: Actor, site: string, service: string, group: string): Promise<ZoneHealth[]> {
  const zones = await siteZones(actor, site);
  return Promise.all(zones.map((z) => zoneHealth(actor, z, service, group)));
}
