/**
 * Registry services of one environment (Nacos): scoped reads, cached briefly with
 * coalescing. Instance changes (weight, enabled, metadata) are audited operations with
 * before/after in update-instance.ts.
 */
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import type { NacosService } from "@/lib/nacos/schemas";
import { cachedRead } from "@/lib/registry/cache";
import { registryFor } from "@/lib/registry/nacos-scope";
import type { ServiceDetailView } from "@/lib/registry/service-views";
import { getZookeeperService, listZookeeperServices } from "@/lib/registry/zookeeper-services";

const CACHE_MS = 2_000;

// "—" is the group of ZooKeeper services without one (lib/registry/zookeeper-services.ts).
const GROUP_RE = /^(?:[A-Za-z0-9_.:-]{1,128}|—)$/;

export const ServiceListInput = z.object({
  namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a namespace id").default(""),
  group: z.string().regex(GROUP_RE, "must be a group name").optional(),
  search: z.string().regex(/^[A-Za-z0-9_.:@-]{0,128}$/, "letters, digits and . _ : @ - only").optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Server-side sort over the whole namespace; absent = the registry's own order. */
  sort: z.enum(["name", "-name", "instances", "-instances", "healthy", "-healthy", "unhealthy", "-unhealthy"]).optional(),
  /** Only services with at least one unhealthy instance. */
  unhealthy: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export type ServiceListInput = z.infer<typeof ServiceListInput>;

const SNAPSHOT_MS = 5_000;

const SNAPSHOT_PAGE = 500;

const SNAPSHOT_MAX = 50_000;

/**
 * Every service of a namespace with its counts (no instances), read page by page and cached
 * briefly with coalescing. Only sort and the unhealthy filter need it: the registry pages in
 * its own order and cannot filter on health.
 */
async function namespaceSnapshot(environment: string, namespace: string, group: string | undefined, search: string | undefined, load: (page: number) => Promise<{ pages: number; items: NacosService[] }>): Promise<NacosService[]> {
  return cachedRead(`snap:${environment}:${namespace}:${group ?? ""}:${search ?? ""}`, SNAPSHOT_MS, async () => {
    const first = await load(1);
    const all = [...first.items];
    for (let p = 2; p <= first.pages && all.length < SNAPSHOT_MAX; p++) all.push(...(await load(p)).items);
    return all;
  });
}

function sortServices(items: NacosService[], sort: NonNullable<ServiceListInput["sort"]>): NacosService[] {
  const desc = sort.startsWith("-");
  const field = sort.replace(/^-/, "");
  const value = (s: NacosService): number | string =>
    field === "name" ? s.name : field === "instances" ? s.instanceCount : field === "healthy" ? s.healthyInstanceCount : s.instanceCount - s.healthyInstanceCount;
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === "string" ? x.localeCompare(y as string) : x - (y as number);
    return (desc ? -c : c) || a.name.localeCompare(b.name);
  });
}

/** A page of services with instance counts (Nacos or ZooKeeper). Who may: service.read in scope. */
export async function listServices(actor: Actor, environment: string, input: ServiceListInput): Promise<{ total: number; page: number; pages: number; items: NacosService[] }> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  if (row.registry?.kind === "zookeeper") return listZookeeperServices(actor, row, input);
  const { client } = await registryFor(actor, row, input.namespace, "service.read");
  if (input.sort || input.unhealthy) {
    let all = await namespaceSnapshot(environment, input.namespace, input.group, input.search, (page) =>
      client.listServices({ namespace: input.namespace, group: input.group, serviceName: input.search || undefined, page, pageSize: SNAPSHOT_PAGE }),
    );
    if (input.unhealthy) all = all.filter((s) => s.healthyInstanceCount < s.instanceCount);
    if (input.sort) all = sortServices(all, input.sort);
    const pages = Math.max(1, Math.ceil(all.length / input.pageSize));
    return { total: all.length, page: input.page, pages, items: all.slice((input.page - 1) * input.pageSize, input.page * input.pageSize) };
  }
  const key = `svc:${environment}:${input.namespace}:${input.group ?? ""}:${input.search ?? ""}:${input.page}:${input.pageSize}`;
  return cachedRead(key, CACHE_MS, () => client.listServices({ namespace: input.namespace, group: input.group, serviceName: input.search || undefined, page: input.page, pageSize: input.pageSize }));
}

export const ServiceKeyInput = z.object({
  namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/).default(""),
  group: z.string().regex(GROUP_RE, "must be a group name").default("DEFAULT_GROUP"),
  serviceName: z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name"),
});

/** One service's instances (Nacos or ZooKeeper). Who may: service.read in scope. */
export async function getService(actor: Actor, environment: string, key: z.infer<typeof ServiceKeyInput>): Promise<ServiceDetailView> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  if (row.registry?.kind === "zookeeper") return getZookeeperService(actor, row, key);
  const { client } = await registryFor(actor, row, key.namespace, "service.read");
  const [instances, subscribers] = await Promise.all([
    cachedRead(`inst:${environment}:${key.namespace}:${key.group}:${key.serviceName}`, CACHE_MS, () => client.listInstances(key)),
    cachedRead(`subs:${environment}:${key.namespace}:${key.group}:${key.serviceName}`, CACHE_MS, () => client.listSubscribers(key)),
  ]);
  return { instances, subscribers };
}
