/**
 * Gray releases: rule inputs, their resolution to IPs from the environment's registry, and the
 * status read (who listens to the config and whether each holds the gray or the formal md5).
 */
import "server-only";
import { desc, and, eq } from "drizzle-orm";
import { z } from "zod";
import { configGrayReleases, type GrayRule } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { configCenterFor, configScope } from "@/lib/configs/access";
import { ConfigKeyInput } from "@/lib/configs/configs";
import { parseLabelSelector, resolveGrayRule } from "@/lib/configs/gray-rule";
import { storedNamespace, toGrayView } from "@/lib/configs/gray-store";
import type { GrayPreview, GrayStatusView } from "@/lib/configs/views";
import type { EnvironmentRow } from "@/db/schema";
import { getDb } from "@/lib/database";
import { AppError, UpstreamError } from "@/lib/errors";
import type { NacosClient } from "@/lib/nacos/client";
import { IpAddress } from "@/lib/nacos/schemas";

const ServiceRef = { service: z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, "must be a service name"), serviceGroup: z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, "must be a group").default("DEFAULT_GROUP") };

export const GrayRuleInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ips"), ips: z.array(IpAddress).min(1, "give at least one IP").max(1000) }).strict(),
  z.object({ kind: z.literal("labels"), ...ServiceRef, selector: z.record(z.string().min(1).max(256), z.string().max(256)).refine((s) => Object.keys(s).length > 0, "give at least one key=value") }).strict(),
  z.object({ kind: z.literal("percentage"), ...ServiceRef, percentage: z.number().gt(0, "must be above 0").max(100, "must be at most 100") }).strict(),
  z.object({ kind: z.literal("count"), ...ServiceRef, count: z.number().int().min(1, "must be at least 1").max(1000) }).strict(),
]);
export type GrayRuleInput = z.output<typeof GrayRuleInput>;

/** The rule as query parameters (the preview is a GET): kind, ips, service, serviceGroup, selector, percentage, count. */
export const GrayPreviewQuery = ConfigKeyInput.extend({
  kind: z.enum(["ips", "labels", "percentage", "count"]),
  ips: z.string().max(20_000).optional(),
  service: z.string().optional(),
  serviceGroup: z.string().optional(),
  selector: z.string().max(2_000).optional(),
  percentage: z.coerce.number().optional(),
  count: z.coerce.number().optional(),
}).transform((q, ctx) => {
  const base = { namespace: q.namespace, group: q.group, dataId: q.dataId };
  const service = { service: q.service, serviceGroup: q.serviceGroup || "DEFAULT_GROUP" };
  const raw =
    q.kind === "ips"
      ? { kind: "ips", ips: (q.ips ?? "").split(/[\s,]+/).filter(Boolean) }
      : q.kind === "labels"
        ? { kind: "labels", ...service, selector: parseLabelSelector(q.selector ?? "") ?? {} }
        : q.kind === "percentage"
          ? { kind: "percentage", ...service, percentage: q.percentage }
          : { kind: "count", ...service, count: q.count };
  const rule = GrayRuleInput.safeParse(raw);
  if (!rule.success) {
    for (const i of rule.error.issues) ctx.addIssue({ code: "custom", path: i.path.length ? i.path : ["kind"], message: i.message });
    return z.NEVER;
  }
  return { ...base, rule: rule.data };
});

/** The rule's IPs, from the environment's registry in the config's namespace for service rules. */
export async function resolveRule(actor: Actor, row: EnvironmentRow, client: NacosClient, namespace: string, rule: GrayRule, configKey: string): Promise<GrayPreview> {
  if (rule.kind === "ips") return resolveGrayRule(rule, [], configKey);
  if (!decide(actor.grants, "service.read", configScope(row, namespace))) throw new AppError("FORBIDDEN", `${actor.username} lacks service.read`, { details: { permission: "service.read" } });
  let instances;
  try {
    instances = await client.listInstances({ serviceName: rule.service, group: rule.serviceGroup, namespace });
  } catch (e) {
    if (e instanceof UpstreamError && e.code === "NOT_FOUND") {
      throw new AppError("VALIDATION", `service ${rule.serviceGroup}/${rule.service} not registered`, {
        fields: [{ field: "rule.service", message: `service ${rule.serviceGroup}/${rule.service} is not registered in ${row.name}` }],
      });
    }
    throw e;
  }
  return resolveGrayRule(rule, instances, configKey);
}

export function configKeyOf(namespace: string, group: string, dataId: string): string {
  return `${storedNamespace(namespace)}/${group}/${dataId}`;
}

/** What a rule resolves to now, shown before confirming. Who may: config.read (and service.read for service rules). */
export async function previewGrayRule(actor: Actor, environment: string, q: z.output<typeof GrayPreviewQuery>): Promise<GrayPreview> {
  const { row, client } = await configCenterFor(actor, environment, q.namespace, "config.read");
  return resolveRule(actor, row, client, q.namespace, q.rule, configKeyOf(q.namespace, q.group, q.dataId));
}

/**
 * The gray release of a config now: the console's record (the active one, else the latest), the
 * beta Nacos serves, and every listening client with the md5 it holds. Who may: config.read.
 */
export async function getGrayStatus(actor: Actor, environment: string, key: z.output<typeof ConfigKeyInput>): Promise<GrayStatusView> {
  const { row, client } = await configCenterFor(actor, environment, key.namespace, "config.read");
  const db = await getDb();
  const [formal, beta, listeners, rows] = await Promise.all([
    client.getConfig(key),
    client.getBetaConfig(key),
    client.listConfigListeners(key),
    db
      .select()
      .from(configGrayReleases)
      .where(and(eq(configGrayReleases.environment, row.name), eq(configGrayReleases.namespace, storedNamespace(key.namespace)), eq(configGrayReleases.group, key.group), eq(configGrayReleases.dataId, key.dataId)))
      .orderBy(desc(configGrayReleases.createdAt))
      .limit(1),
  ]);
  const gray = rows[0] ?? null;
  const grayMd5 = beta?.md5 ?? (gray?.state === "active" ? gray.md5 : null);
  const view = listeners.map((l) => ({ ...l, holds: (grayMd5 && l.md5 === grayMd5 ? "gray" : formal && l.md5 === formal.md5 ? "formal" : "other") as "gray" | "formal" | "other" }));
  return {
    gray: gray ? toGrayView(gray) : null,
    formalMd5: formal?.md5 ?? null,
    betaMd5: beta?.md5 ?? null,
    betaIps: beta?.betaIps ?? [],
    listeners: view,
    onGray: view.filter((l) => l.holds === "gray").length,
    total: view.length,
  };
}
