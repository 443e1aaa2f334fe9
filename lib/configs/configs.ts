/**
 * Config reads of one environment's Nacos config center: the namespaces, a page of configs
 * (search, filters, server-side paging), one config with its beta and gray release, history.
 * Every read decides config.read on the environment and namespace (404 outside it).
 */
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { configCenterFor, configScope, isProd } from "@/lib/configs/access";
import { activeGray, activeGraysIn, grayKeysAmong, toGrayView } from "@/lib/configs/gray-store";
import type { ConfigDetailView, ConfigHistoryPage, ConfigHistoryRecordView, ConfigListPage } from "@/lib/configs/views";
import { getDb } from "@/lib/database";
import { nacosClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import type { NacosClient } from "@/lib/nacos/client";
import { ConfigType } from "@/lib/nacos/schemas";

/** Nacos' rule for dataId and group. */
export const NACOS_NAME = /^[A-Za-z0-9_.:-]{1,256}$/;
export const NamespaceParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a namespace id")
  .default("")
  .transform((v) => (v === "public" ? "" : v));
export const GroupParam = z.string().regex(NACOS_NAME, "must be a group: letters, digits and _ . : - (1-256)");
export const DataIdParam = z.string().regex(NACOS_NAME, "must be a dataId: letters, digits and _ . : - (1-256)");
const SearchTerm = z.string().regex(/^[A-Za-z0-9_.:-]{0,256}$/, "letters, digits and _ . : - only").default("");

export const ConfigListInput = z.object({
  namespace: NamespaceParam,
  dataId: SearchTerm,
  group: SearchTerm,
  /** contains: substring of dataId and group; exact: equal. */
  match: z.enum(["contains", "exact"]).default("contains"),
  type: ConfigType.optional(),
  /** Only configs with an active gray release. */
  gray: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const ConfigKeyInput = z.object({ namespace: NamespaceParam, group: GroupParam, dataId: DataIdParam });

/** The namespaces of the environment's Nacos the actor may read configs in. */
export async function listConfigNamespaces(actor: Actor, environment: string): Promise<Array<{ id: string; name: string; configCount: number }>> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  const client = row.registry?.kind === "nacos" ? nacosClientFor(row) : null;
  if (!client) throw new AppError("VALIDATION", "not a Nacos environment", { fields: [{ field: "environment", message: "this environment has no Nacos config center" }] });
  const all = await client.listNamespaces();
  return all
    .map((n) => ({ id: n.id === "public" ? "" : n.id, name: n.name, configCount: n.configCount }))
    .filter((n) => decide(actor.grants, "config.read", configScope(row, n.id)));
}

/**
 * Which of these configs Nacos serves a beta (gray) of, whoever started it. Nacos 3.1 has no
 * list or batch query of betas (the list's ConfigBasicInfo carries no gray flag; the admin and
 * console APIs read one config's beta at a time, GET /v3/admin/cs/config/beta), so this reads
 * them per config, BETA_READS at a time (measured on the stack: one read ~10 ms, 50 in ~100 ms,
 * so ~500 configs/s — bench/config prints the filter's scan at 10,000).
 */
const BETA_READS = 16;
async function betaKeysAmong(client: NacosClient, namespace: string, keys: Array<{ group: string; dataId: string }>): Promise<Set<string>> {
  const out = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const k = keys[next++]!;
      if (await client.getBetaConfig({ namespace, group: k.group, dataId: k.dataId })) out.add(`${k.group}/${k.dataId}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BETA_READS, keys.length) }, worker));
  return out;
}

export const ConfigBetasInput = z.object({
  namespace: NamespaceParam,
  /** `group/dataId`, comma-separated: the configs of one list page. */
  keys: z
    .string()
    .max(100 * 520)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,256}\/[A-Za-z0-9_.:-]{1,256}$/, "each key must be group/dataId"))
        .min(1, "name at least one config")
        .max(100, "at most 100 configs"),
    ),
});

/**
 * Which of a page's configs Nacos serves a beta (gray) of now, whoever started it: the list's
 * badges, asked after the page shows. Who may: config.read in the environment and namespace.
 */
export async function configBetas(actor: Actor, environment: string, input: z.output<typeof ConfigBetasInput>): Promise<{ keys: string[] }> {
  const { client } = await configCenterFor(actor, environment, input.namespace, "config.read");
  const keys = input.keys.map((k) => {
    const i = k.indexOf("/");
    return { group: k.slice(0, i), dataId: k.slice(i + 1) };
  });
  const found = await betaKeysAmong(client, input.namespace, keys);
  return { keys: input.keys.filter((k) => found.has(k)) };
}

/** The gray filter scans at most this many configs of a namespace (the list's own scale). */
const GRAY_SCAN_MAX = 10_000;
const GRAY_SCAN_TTL_MS = 10_000;
interface GrayScan {
  at: number;
  items: Array<{ dataId: string; group: string; type: string | null; md5: string | null }>;
}
/** Per environment, namespace and search: the configs with a beta, for paging through without rescanning (10 s). */
const grayScans = new Map<string, Promise<GrayScan>>();

async function scanGrays(client: NacosClient, environment: string, input: z.output<typeof ConfigListInput>, search: { blur: boolean; dataId: string; group: string }): Promise<GrayScan> {
  const cacheKey = JSON.stringify([environment, input.namespace, search, input.type ?? ""]);
  const hit = grayScans.get(cacheKey);
  if (hit) {
    const scan = await hit.catch(() => null);
    if (scan && Date.now() - scan.at < GRAY_SCAN_TTL_MS) return scan;
  }
  const work = (async (): Promise<GrayScan> => {
    const all: Array<{ dataId: string; group: string; type: string | null; md5: string | null }> = [];
    for (let page = 1, pages = 1; page <= pages && all.length < GRAY_SCAN_MAX; page++) {
      const p = await client.listConfigs({ namespace: input.namespace, search: search.blur ? "blur" : "accurate", dataId: search.dataId, group: search.group, type: input.type, page, pageSize: 500 });
      pages = p.pages;
      all.push(...p.items.map((i) => ({ dataId: i.dataId, group: i.group, type: i.type, md5: i.md5 })));
    }
    const beta = await betaKeysAmong(client, input.namespace, all);
    return { at: Date.now(), items: all.filter((i) => beta.has(`${i.group}/${i.dataId}`)) };
  })();
  grayScans.set(cacheKey, work);
  for (const [k, v] of grayScans) if (v !== work && grayScans.size > 100) grayScans.delete(k);
  return work;
}

/**
 * A page of configs. `gray` in a page is the console's own active gray releases (fast); the
 * page's badges then ask Nacos (`configBetas`) off the list's critical path. The `gray` filter
 * is Nacos' truth — configs Nacos serves a beta of, started by the console or not — together
 * with the console's active gray releases. Who may: config.read in the environment and namespace.
 */
export async function listConfigs(actor: Actor, environment: string, input: z.output<typeof ConfigListInput>): Promise<ConfigListPage> {
  const { row, client } = await configCenterFor(actor, environment, input.namespace, "config.read");
  const db = await getDb();
  const blur = input.match === "contains";
  const pattern = (term: string) => (term === "" ? "" : blur ? `*${term}*` : term);
  if (input.gray) {
    const matches = (value: string, term: string) => term === "" || (input.match === "exact" ? value === term : value.includes(term));
    const [scan, ours] = await Promise.all([
      scanGrays(client, row.name, input, { blur, dataId: pattern(input.dataId), group: pattern(input.group) }),
      activeGraysIn(db, row.name, input.namespace),
    ]);
    const byKey = new Map(scan.items.map((i) => [`${i.group}/${i.dataId}`, i]));
    for (const g of ours) {
      if (matches(g.dataId, input.dataId) && matches(g.group, input.group) && (!input.type || g.type === input.type) && !byKey.has(`${g.group}/${g.dataId}`)) {
        byKey.set(`${g.group}/${g.dataId}`, { dataId: g.dataId, group: g.group, type: g.type, md5: g.baseMd5 });
      }
    }
    const rows = [...byKey.values()].sort((a, b) => a.group.localeCompare(b.group) || a.dataId.localeCompare(b.dataId));
    const pages = Math.max(1, Math.ceil(rows.length / input.pageSize));
    return {
      total: rows.length,
      page: input.page,
      pages,
      items: rows.slice((input.page - 1) * input.pageSize, input.page * input.pageSize).map((g) => ({ ...g, gray: true })),
    };
  }
  const page = await client.listConfigs({
    namespace: input.namespace,
    search: blur ? "blur" : "accurate",
    dataId: pattern(input.dataId),
    group: pattern(input.group),
    type: input.type,
    page: input.page,
    pageSize: input.pageSize,
  });
  const grays = await grayKeysAmong(
    db,
    row.name,
    input.namespace,
    page.items.map((i) => i.dataId),
  );
  return {
    total: page.total,
    page: page.page,
    pages: page.pages,
    items: page.items.map((c) => ({ dataId: c.dataId, group: c.group, type: c.type, md5: c.md5, gray: grays.has(`${c.group}/${c.dataId}`) })),
  };
}

/** One config: formal content, the beta Nacos serves, the console's active gray. 404 when none exists. */
export async function getConfigDetail(actor: Actor, environment: string, key: z.output<typeof ConfigKeyInput>): Promise<ConfigDetailView> {
  const { row, client } = await configCenterFor(actor, environment, key.namespace, "config.read");
  const [formal, beta, gray] = await Promise.all([
    client.getConfig(key),
    client.getBetaConfig(key),
    getDb().then((db) => activeGray(db, { environment: row.name, ...key })),
  ]);
  if (!formal && !beta) throw new AppError("NOT_FOUND", `config ${key.group}/${key.dataId} not found`, { userMessage: `Config ${key.group}/${key.dataId} does not exist in ${row.name}.` });
  return {
    environment: row.name,
    namespace: key.namespace,
    group: key.group,
    dataId: key.dataId,
    formal: formal
      ? { content: formal.content, md5: formal.md5, type: formal.type, description: formal.description, modifiedAt: formal.modifiedAt, createdBy: formal.createdBy }
      : null,
    beta: beta ? { content: beta.content, md5: beta.md5, ips: beta.betaIps } : null,
    gray: gray ? toGrayView(gray) : null,
    prod: isProd(row.labels),
  };
}

export const HistoryListInput = ConfigKeyInput.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** A page of a config's history, newest first (operator, source IP, time). Who may: config.read. */
export async function listConfigHistory(actor: Actor, environment: string, input: z.output<typeof HistoryListInput>): Promise<ConfigHistoryPage> {
  const { client } = await configCenterFor(actor, environment, input.namespace, "config.read");
  const page = await client.listHistory({ namespace: input.namespace, group: input.group, dataId: input.dataId, page: input.page, pageSize: input.pageSize });
  return {
    total: page.total,
    page: page.page,
    pages: page.pages,
    items: page.items.map((h) => ({ id: h.id, opType: h.opType, publishType: h.publishType, sourceIp: h.sourceIp, sourceUser: h.sourceUser, modifiedAt: h.modifiedAt })),
  };
}

export const HistoryRecordInput = ConfigKeyInput.extend({ id: z.string().regex(/^[0-9]{1,20}$/, "must be a history id") });

/** One history record with its content. Who may: config.read. */
export async function getConfigHistoryRecord(actor: Actor, environment: string, input: z.output<typeof HistoryRecordInput>): Promise<ConfigHistoryRecordView> {
  const { client } = await configCenterFor(actor, environment, input.namespace, "config.read");
  const h = await client.getHistory({ namespace: input.namespace, group: input.group, dataId: input.dataId, id: input.id });
  if (!h) throw new AppError("NOT_FOUND", `history ${input.id} of ${input.group}/${input.dataId} not found`);
  return { id: h.id, opType: h.opType, publishType: h.publishType, sourceIp: h.sourceIp, sourceUser: h.sourceUser, modifiedAt: h.modifiedAt, content: h.content, md5: h.md5 };
}

export const CompareInput = ConfigKeyInput.extend({
  /** The other side: an environment (default: this one) and a namespace (default: this one). */
  otherEnvironment: z.string().min(1).max(128).optional(),
  otherNamespace: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a namespace id")
    .transform((v) => (v === "public" ? "" : v))
    .optional(),
});

export interface CompareSide {
  environment: string;
  namespace: string;
  content: string | null;
  md5: string | null;
  type: string | null;
}

/**
 * One config side by side in two environments (or two namespaces): both formal contents. Who
 * may: config.read on both sides (a side out of scope is a 404, as if it did not exist).
 */
export async function compareConfig(actor: Actor, environment: string, input: z.output<typeof CompareInput>): Promise<{ left: CompareSide; right: CompareSide }> {
  const side = async (env: string, namespace: string): Promise<CompareSide> => {
    const { row, client } = await configCenterFor(actor, env, namespace, "config.read");
    const c = await client.getConfig({ namespace, group: input.group, dataId: input.dataId });
    return { environment: row.name, namespace, content: c?.content ?? null, md5: c?.md5 ?? null, type: c?.type ?? null };
  };
  const [left, right] = await Promise.all([side(environment, input.namespace), side(input.otherEnvironment ?? environment, input.otherNamespace ?? input.namespace)]);
  return { left, right };
}
