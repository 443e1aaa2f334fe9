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
});
export type ServiceListInput = z.infer<typeof ServiceListInput>;

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
  const key = `svc:${environment}:${input.namespace}:${input.group ?? ""}:${input.search ?? ""}:${input.page}:${input.pageSize}`;
  return cachedRead(key, CACHE_MS, () => client.listServices({ namespace: input.namespace, group: input.group, serviceName: input.search || undefined, page: input.page, pageSize: input.pageSize }));
}

export const ServiceKeyInput = z.object({
  namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/).default(""),
  group: z.string().regex(GROUP_RE, "must be a group name").default("DEFAULT_GROUP"),
  serviceName: z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name"),
});

/** One service's instances (Nacos or ZooKeeper). Who may: service.read in scope. */
export async function getService(actor: Actor, environment: string, key: z.infer<typeof ServiceKeyInput>): Promise<{ instances: NacosServiceInstance[]; consumerCount?: number }> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  if (row.registry?.kind === "zookeeper") return getZookeeperService(actor, row, key);
  const { client } = await registryFor(actor, row, key.namespace, "service.read");
  return { instances: await cachedRead(`inst:${environment}:${key.namespace}:${key.group}:${key.serviceName}`, CACHE_MS, () => client.listInstances(key)) };
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
    invalidate(`inst:${input.environment}:${input.namespace}:${input.group}:${input.serviceName}`);
    const after = { ...before, ...(input.weight !== undefined ? { weight: input.weight } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...(input.metadata ? { metadata: { ...before.metadata, ...input.metadata } } : {}) };
    return { result: after, before, after };
  },
});
