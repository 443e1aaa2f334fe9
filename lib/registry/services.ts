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
import { AppError, isAppError, UpstreamError } from "@/lib/errors";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/schemas";
import { defineOperation } from "@/lib/ops/define-operation";
import { cachedRead, invalidate } from "@/lib/registry/cache";
import { applyMetadataEdits, CONFIRM_WAIT_MS, diffExpectation, showsWrite, unconfirmedMessage, waitUntilShown, withInstanceLocks } from "@/lib/registry/instance-change";
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

const InstanceWeight = z.number().min(0).max(10_000);
/** Metadata keys to set; null removes the key. */
const MetadataEdits = z.record(z.string().min(1).max(256), z.string().max(1024).nullable());

export const UpdateInstanceOpInput = z
  .object({
    environment: z.string().min(1),
    namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/).default(""),
    group: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).default("DEFAULT_GROUP"),
    serviceName: z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name"),
    ip: z.union([z.ipv4(), z.ipv6()], "must be an IP address"),
    port: z.number().int().min(1).max(65_535),
    clusterName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("DEFAULT"),
    weight: InstanceWeight.optional(),
    enabled: z.boolean().optional(),
    /** Only these keys are compared and written; the instance's other keys keep their current values. */
    metadata: MetadataEdits.optional(),
    /**
     * Required (issue #12): the values the operator saw — `weight` when changing the weight,
     * `enabled` when changing the flag, and `metadata` with exactly the edited keys (null = the
     * key was absent). Any other field given is compared too. A difference from what Nacos holds
     * now → 409 with the current values and a diff; nothing is written.
     */
    expected: z
      .object({ weight: InstanceWeight.optional(), enabled: z.boolean().optional(), metadata: MetadataEdits.optional() })
      .strict(),
  })
  .strict()
  .refine((v) => v.weight !== undefined || v.enabled !== undefined || (v.metadata !== undefined && Object.keys(v.metadata).length > 0), {
    message: "change weight, enabled or metadata",
    path: ["weight"],
  })
  .superRefine((v, ctx) => {
    const need = (field: "weight" | "enabled") => {
      if (v[field] !== undefined && v.expected[field] === undefined) ctx.addIssue({ code: "custom", path: ["expected", field], message: `give the ${field} you saw` });
    };
    need("weight");
    need("enabled");
    const edited = Object.keys(v.metadata ?? {});
    const seen = v.expected.metadata ?? {};
    for (const k of edited) {
      if (!Object.hasOwn(seen, k)) ctx.addIssue({ code: "custom", path: ["expected", "metadata", k], message: "give the value you saw (null when the key was absent)" });
    }
    for (const k of Object.keys(seen)) {
      if (!edited.includes(k)) ctx.addIssue({ code: "custom", path: ["expected", "metadata", k], message: "only the edited metadata keys are compared" });
    }
  });
export type UpdateInstanceOpInput = z.input<typeof UpdateInstanceOpInput>;

/** What an instance change answers (PATCH …/services/instance: 200 when `succeeded`, 202 when `unknown`). */
export interface InstanceChangeResult {
  /** `succeeded`: Nacos reads back the change. `unknown`: sent, but Nacos did not show it in time. */
  outcome: "succeeded" | "unknown";
  /** The instance as read under the lock, before the write. */
  before: NacosServiceInstance;
  /** The instance as Nacos read it back; for `unknown` the last read (null: none came back in time). */
  after: NacosServiceInstance | null;
  /** What was sent: weight and enabled always (Nacos resets an omitted one), the metadata edits when given. */
  written: { weight: number; enabled: boolean; metadata?: Record<string, string | null> };
  /** Nothing differed from what Nacos holds, so nothing was sent. */
  unchanged?: true;
  /** For `unknown`: what the operator should do. */
  message?: string;
}

/**
 * Changes one instance's weight, enabled flag or metadata in Nacos without losing a concurrent
 * change (lib/registry/instance-change.ts): under a per-instance lock held across replicas it
 * reads the instance, compares the operator's `expected` values (409 with the current values
 * and a diff when they differ), writes weight and enabled together (metadata: only the edited
 * keys change), and waits until Nacos shows the write. Who may: service.instance.write in the
 * environment and namespace; out-of-scope → 404. Audited with the instance read under the lock
 * (before) and read back (after), as `succeeded`, `conflict`, `unknown` (not shown in time) or
 * `failed`.
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
    const { row, client } = await registryFor(ctx.actor, input.environment, input.namespace, "service.instance.write");
    const key = { namespace: input.namespace, group: input.group, serviceName: input.serviceName, ip: input.ip, port: input.port, clusterName: input.clusterName };
    const label = `${input.ip}:${input.port}`;
    const result = await withInstanceLocks([{ environment: row.name, ...key }], async (): Promise<InstanceChangeResult> => {
      const before = await client.getInstance(key);
      if (!before) throw new AppError("NOT_FOUND", `instance ${label} not found`, { userMessage: `Instance ${label} of ${input.serviceName} is not registered in Nacos in environment ${row.name}.` });
      const diff = diffExpectation(input.expected, before);
      if (diff.length) {
        throw new UpstreamError("CONFLICT", "nacos", `instance ${label} of ${input.group}/${input.serviceName} differs from the expectation: ${diff.map((d) => d.field).join(", ")}`, {
          environment: row.name,
          userMessage: `Instance ${label} was changed since you loaded it (${diff.map((d) => d.field).join(", ")}); nothing was changed. Review the current values and try again.`,
          details: { details: { current: before, expected: input.expected, diff } },
        });
      }
      const written = { weight: input.weight ?? before.weight, enabled: input.enabled ?? before.enabled, ...(input.metadata ? { metadata: input.metadata } : {}) };
      const shows = (i: NacosServiceInstance | null) => i !== null && showsWrite(i, { weight: written.weight, enabled: written.enabled, metadataEdits: input.metadata });
      if (shows(before)) return { outcome: "succeeded", before, after: before, written, unchanged: true };
      try {
        try {
          await client.updateInstance({ ...key, weight: written.weight, enabled: written.enabled, ...(input.metadata ? { metadata: applyMetadataEdits(before.metadata, input.metadata) } : {}) });
        } catch (e) {
          // A write that timed out may still land: only the read-back can tell.
          if (!(isAppError(e) && e.code === "UPSTREAM_TIMEOUT")) throw e;
        }
        const seen = await waitUntilShown(() => client.getInstance(key), shows);
        if (seen.confirmed) return { outcome: "succeeded", before, after: seen.last ?? null, written };
        return { outcome: "unknown", before, after: seen.last ?? null, written, message: unconfirmedMessage(`instance ${label}`, row.name) };
      } finally {
        invalidate(`svc:${input.environment}:`);
        invalidate(`snap:${input.environment}:`);
        invalidate(`inst:${input.environment}:${input.namespace}:${input.group}:${input.serviceName}`);
      }
    });
    return {
      result,
      before: result.before,
      after: result.after,
      outcome: result.outcome,
      detail: {
        written: result.written,
        ...(result.unchanged ? { unchanged: true } : {}),
        ...(result.outcome === "unknown" ? { confirmed: false, waitedMs: CONFIRM_WAIT_MS, message: result.message } : { confirmed: true }),
      },
    };
  },
});
