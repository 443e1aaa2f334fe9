/**
 * Registry services of one environment (Nacos): scoped reads, cached briefly with
 * coalescing; instance changes (weight, enabled, metadata) are audited operations with
 * before/after, allowed by service.instance.write in the environment and namespace.
 */
import "server-only";
import { z } from "zod";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { nacosClientFor } from "@/lib/environments/connect";
import type { NacosSubscriber } from "@/lib/nacos/client";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/schemas";
import { defineOperation } from "@/lib/ops/define-operation";
import { cachedRead, invalidate } from "@/lib/registry/cache";
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

async function registryFor(actor: Actor, environment: string | EnvironmentRow, namespace: string, permission: "service.read" | "service.instance.write") {
  const row = typeof environment === "string" ? await resolveEnvironmentRow(actor, environment, "environment.read") : environment;
  const scope = { environment: { name: row.name, labels: row.labels }, namespace: namespace || "public" };
  if (!decide(actor.grants, "service.read", scope)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible in ${row.name}`);
  if (!decide(actor.grants, permission, scope)) throw new AppError("FORBIDDEN", `${actor.username} lacks ${permission}`);
  const client = nacosClientFor(row);
  if (row.registry?.kind === "zookeeper") throw new AppError("VALIDATION", "not a Nacos environment", { fields: [{ field: "environment", message: "instance changes are supported for Nacos registries" }], userMessage: "Instance changes are supported for Nacos registries." });
  if (!client) throw new AppError("VALIDATION", "not a Nacos environment", { fields: [{ field: "environment", message: "this environment has no Nacos registry" }] });
  return { row, client, scope };
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
export async function getService(
  actor: Actor,
  environment: string,
  key: z.infer<typeof ServiceKeyInput>,
): Promise<{ instances: NacosServiceInstance[]; consumerCount?: number; subscribers?: { total: number; items: NacosSubscriber[] } }> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  if (row.registry?.kind === "zookeeper") return getZookeeperService(actor, row, key);
  const { client } = await registryFor(actor, row, key.namespace, "service.read");
  const [instances, subscribers] = await Promise.all([
    cachedRead(`inst:${environment}:${key.namespace}:${key.group}:${key.serviceName}`, CACHE_MS, () => client.listInstances(key)),
    cachedRead(`subs:${environment}:${key.namespace}:${key.group}:${key.serviceName}`, CACHE_MS, () => client.listSubscribers(key)),
  ]);
  return { instances, subscribers };
}

export const UpdateInstanceOpInput = z
  .object({
    environment: z.string().min(1),
    namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/).default(""),
    group: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).default("DEFAULT_GROUP"),
    serviceName: z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name"),
    ip: z.union([z.ipv4(), z.ipv6()], "must be an IP address"),
    port: z.number().int().min(1).max(65_535),
    clusterName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("DEFAULT"),
    weight: z.number().min(0).max(10_000).optional(),
    enabled: z.boolean().optional(),
    metadata: z.record(z.string().max(256), z.string().max(1024)).optional(),
  })
  .strict()
  .refine((v) => v.weight !== undefined || v.enabled !== undefined || v.metadata !== undefined, { message: "change weight, enabled or metadata", path: ["weight"] });

/**
 * Changes one instance's weight, enabled flag or metadata in Nacos. Who may:
 * service.instance.write in the environment and namespace; out-of-scope → 404. Audited with
 * the instance before and after.
 */
export const updateInstance = defineOperation({
  action: "service.instance.update",
  permission: "service.instance.write",
  hideWhenUnreadable: "service.read",
  input: UpdateInstanceOpInput,
  async target(input, ctx) {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    return { kind: "instance", name: `${input.group}@@${input.serviceName}/${input.ip}:${input.port}`, environment: { name: row.name, labels: row.labels }, namespace: input.namespace || "public" };
  },
  async run(input, ctx) {
    const { client } = await registryFor(ctx.actor, input.environment, input.namespace, "service.instance.write");
    const key = { namespace: input.namespace, group: input.group, serviceName: input.serviceName };
    const find = (list: NacosServiceInstance[]) => list.find((i) => i.ip === input.ip && i.port === input.port && i.clusterName === input.clusterName);
    const before = find(await client.listInstances(key));
    if (!before) throw new AppError("NOT_FOUND", `instance ${input.ip}:${input.port} not found`);
    await client.updateInstance({ ...key, ip: input.ip, port: input.port, clusterName: input.clusterName, weight: input.weight, enabled: input.enabled, metadata: input.metadata });
    invalidate(`svc:${input.environment}:`);
    invalidate(`snap:${input.environment}:`);
    invalidate(`inst:${input.environment}:${input.namespace}:${input.group}:${input.serviceName}`);
    const after = { ...before, ...(input.weight !== undefined ? { weight: input.weight } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...(input.metadata ? { metadata: { ...before.metadata, ...input.metadata } } : {}) };
    return { result: after, before, after };
  },
});
