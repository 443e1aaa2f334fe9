/**
 * One view of a service across the zones of a site (seed 001: one registry per availability
 * zone). Environments that share the label `site` form a site; each Nacos environment of it is
 * one zone, named by its `zone` label (else by the environment's name), in zone-name order.
 *
 * Namespaces map per zone: a caller who names a namespace gets that namespace in every zone; a
 * caller who names none gets each zone's own first configured namespace (its
 * `registry.namespaces[0]`, "" = public), since zones of one site often keep the same services
 * under different namespace ids.
 *
 * Reads show only the zones the actor may read (service.read in that zone's environment and
 * namespace). "Disable this IP in every zone" is one audited operation that refuses before
 * touching anything unless the actor may change instances in every zone of the site, then
 * works zone by zone in a fixed order, compares each zone with what the operator saw, and
 * reports a partial failure or conflict as `partial` (docs/security.md §28).
 */
import "server-only";
import { asc, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { environments, type EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide, type Scope } from "@/lib/auth/rbac";
import { nacosClientFor } from "@/lib/environments/connect";
import { AppError, isAppError } from "@/lib/errors";
import type { NacosClient, NacosService, NacosServiceInstance } from "@/lib/nacos/client";
import { defineOperation } from "@/lib/ops/define-operation";
import { cachedRead, invalidate } from "@/lib/registry/cache";
import { diffExpectation, unconfirmedMessage, waitUntilShown, withInstanceLocks } from "@/lib/registry/instance-change";

const CACHE_MS = 2_000;
/** Page size when walking a zone's whole service list (Nacos caps pages at 500). */
const WALK_PAGE_SIZE = 200;
/** A zone with more services than this is shown truncated rather than walked forever. */
const WALK_MAX_PAGES = 50;
/** Parallel instance reads when comparing a page of services across zones. */
const READ_CONCURRENCY = 8;

export const SiteName = z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, "must be a site label value");
const NamespaceId = z.string().regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a namespace id");
const GroupName = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be a group name");
const ServiceNameField = z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name");

export interface ZoneView {
  zone: string;
  environment: string;
  /** The namespaces the zone's environment is configured with ("" = public). */
  namespaces: string[];
}

export interface SiteView {
  site: string;
  zones: ZoneView[];
}

/** A zone as one merged read saw it: which namespace was read, and whether Nacos answered. */
export interface ZoneStatus {
  zone: string;
  environment: string;
  namespace: string;
  ok: boolean;
  /** Plain words naming Nacos and the environment, when the zone could not be read. */
  error?: string;
}

export type DifferenceReason = "missing" | "weight" | "metadata" | "enabled";

export interface ZoneServiceCell {
  /** `unavailable`: the zone's Nacos did not answer; presence is unknown. */
  state: "present" | "missing" | "unavailable";
  instanceCount: number;
  healthyCount: number;
  /** This zone's instances disagree with another zone's, or the service is missing here. */
  differs: boolean;
}

export interface MergedServiceRow {
  name: string;
  group: string;
  differences: boolean;
  reasons: DifferenceReason[];
  /** Keyed by zone name. */
  cells: Record<string, ZoneServiceCell>;
}

export interface MergedServicesPage {
  site: string;
  zones: ZoneStatus[];
  total: number;
  page: number;
  pages: number;
  /** Some zone has more services than the console walks; the union is incomplete. */
  truncated: boolean;
  items: MergedServiceRow[];
}

export interface AlignedInstanceRow {
  /** "ip:port" */
  key: string;
  ip: string;
  port: number;
  /** Which fields differ between the zones that have this ip:port. */
  differs: { weight: boolean; metadata: boolean; enabled: boolean };
  /** Keyed by zone name; null where the zone has no instance at this ip:port. */
  cells: Record<string, NacosServiceInstance | null>;
}

export interface MergedServiceDetail {
  site: string;
  group: string;
  serviceName: string;
  zones: ZoneStatus[];
  rows: AlignedInstanceRow[];
  /** Whether the actor may disable instances in every zone of the site (the button shows only then). */
  canDisableEverywhere: boolean;
}

interface Zone {
  zone: string;
  row: EnvironmentRow;
}

function namespacesOf(row: EnvironmentRow): string[] {
  return row.registry?.kind === "nacos" && row.registry.namespaces.length ? row.registry.namespaces : [""];
}

/** The namespace read in a zone: the caller's, else the zone's own first one. */
function namespaceIn(z: Zone, requested: string | undefined): string {
  return requested ?? namespacesOf(z.row)[0] ?? "";
}

function scopeOf(z: Zone, namespace: string): Scope {
  return { environment: { name: z.row.name, labels: z.row.labels }, namespace: namespace || "public" };
}

function canSee(actor: Actor, row: EnvironmentRow): boolean {
  return decide(actor.grants, "environment.read", { environment: { name: row.name, labels: row.labels } });
}

/** Zones in a fixed order; a zone label used twice in a site falls back to environment names. */
function toZones(rows: EnvironmentRow[]): Zone[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.labels.zone || r.name, (counts.get(r.labels.zone || r.name) ?? 0) + 1);
  return rows
    .map((row) => ({ zone: (counts.get(row.labels.zone || row.name) ?? 0) > 1 ? row.name : row.labels.zone || row.name, row }))
    .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : a.row.name < b.row.name ? -1 : 1));
}

/** Every Nacos zone of a site, visible to the actor or not (for the "every zone" check). */
async function allZones(site: string): Promise<Zone[]> {
  const rows = await (await getDb())
    .select()
    .from(environments)
    .where(sql`${environments.labels} ->> 'site' = ${site}`)
    .orderBy(asc(environments.name));
  return toZones(rows.filter((r) => r.registry?.kind === "nacos"));
}

/** The site's zones the actor may see; a site with none of them does not exist for the actor. */
async function resolveSite(actor: Actor, site: string): Promise<{ all: Zone[]; visible: Zone[] }> {
  const parsed = SiteName.safeParse(site);
  if (!parsed.success) throw new AppError("VALIDATION", "bad site name", { fields: [{ field: "site", message: parsed.error.issues[0]!.message }] });
  const all = await allZones(parsed.data);
  const visible = all.filter((z) => canSee(actor, z.row));
  if (!visible.length) throw new AppError("NOT_FOUND", `site ${site} not visible`, { userMessage: `Site ${site} was not found.` });
  return { all, visible };
}

function clientOf(z: Zone): NacosClient {
  const c = nacosClientFor(z.row);
  if (!c) throw new AppError("INTERNAL", `zone ${z.zone} has no Nacos registry`);
  return c;
}

function userMessageOf(e: unknown): string {
  return isAppError(e) ? e.userMessage : "Unexpected error; see the server log.";
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The sites the actor can see, each with its zones. Only Nacos environments with a `site`
 * label count. Who may: anyone; environments outside the actor's scope are left out.
 */
export async function listSites(actor: Actor): Promise<SiteView[]> {
  const rows = (await (await getDb()).select().from(environments).orderBy(asc(environments.name))).filter(
    (r) => r.registry?.kind === "nacos" && r.labels.site && canSee(actor, r) && decide(actor.grants, "service.read", { environment: { name: r.name, labels: r.labels } }),
  );
  const bySite = new Map<string, EnvironmentRow[]>();
  for (const r of rows) bySite.set(r.labels.site!, [...(bySite.get(r.labels.site!) ?? []), r]);
  return [...bySite.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([site, list]) => ({ site, zones: toZones(list).map((z) => ({ zone: z.zone, environment: z.row.name, namespaces: namespacesOf(z.row) })) }));
}

/** The zones whose services the actor may read in the chosen namespace mapping. */
function readableZones(actor: Actor, site: string, visible: Zone[], requested: string | undefined): Array<{ z: Zone; namespace: string }> {
  const readable = visible.map((z) => ({ z, namespace: namespaceIn(z, requested) })).filter(({ z, namespace }) => decide(actor.grants, "service.read", scopeOf(z, namespace)));
  if (!readable.length) throw new AppError("NOT_FOUND", `no readable zone of site ${site}`, { userMessage: `Site ${site} was not found.` });
  return readable;
}

/** A zone's whole service list (filtered by `search`), walked page by page; cached like services.ts. */
async function zoneServices(z: Zone, namespace: string, search: string | undefined): Promise<{ services: NacosService[]; truncated: boolean }> {
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

function zoneInstances(z: Zone, namespace: string, group: string, serviceName: string): Promise<NacosServiceInstance[]> {
  const client = clientOf(z);
  return cachedRead(`inst:${z.row.name}:${namespace}:${group}:${serviceName}`, CACHE_MS, () => client.listInstances({ namespace, group, serviceName }));
}

function canonicalMetadata(m: Record<string, string>): string {
  return JSON.stringify(Object.keys(m).sort().map((k) => [k, m[k]]));
}

/** Which fields differ among the zones that have the same ip:port. */
function compare(present: NacosServiceInstance[]): AlignedInstanceRow["differs"] {
  const distinct = (f: (i: NacosServiceInstance) => string) => new Set(present.map(f)).size > 1;
  return { weight: distinct((i) => String(i.weight)), metadata: distinct((i) => canonicalMetadata(i.metadata)), enabled: distinct((i) => String(i.enabled)) };
}

/** Aligns per-zone instance lists by ip:port (the first instance per ip:port and zone). */
function align(zoneNames: string[], lists: Map<string, NacosServiceInstance[]>): AlignedInstanceRow[] {
  const rows = new Map<string, AlignedInstanceRow>();
  for (const zone of zoneNames) {
    for (const i of lists.get(zone) ?? []) {
      const key = `${i.ip}:${i.port}`;
      let row = rows.get(key);
      if (!row) {
        row = { key, ip: i.ip, port: i.port, differs: { weight: false, metadata: false, enabled: false }, cells: Object.fromEntries(zoneNames.map((n) => [n, null])) };
        rows.set(key, row);
      }
      row.cells[zone] ??= i;
    }
  }
  for (const row of rows.values()) row.differs = compare(Object.values(row.cells).filter((c): c is NacosServiceInstance => c !== null));
  return [...rows.values()].sort((a, b) => a.ip.localeCompare(b.ip, "en", { numeric: true }) || a.port - b.port);
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
  const { visible } = await resolveSite(actor, site);
  const zones = readableZones(actor, site, visible, input.namespace);
  const lists = await Promise.all(
    zones.map(async ({ z, namespace }) => {
      try {
        return { z, namespace, ...(await zoneServices(z, namespace, input.search)), error: undefined as string | undefined };
      } catch (e) {
        return { z, namespace, services: [] as NacosService[], truncated: false, error: userMessageOf(e) };
      }
    }),
  );
  const statuses: ZoneStatus[] = lists.map((l) => ({ zone: l.z.zone, environment: l.z.row.name, namespace: l.namespace, ok: !l.error, ...(l.error ? { error: l.error } : {}) }));
  const union = new Map<string, { name: string; group: string }>();
  for (const l of lists) for (const s of l.services) union.set(`${s.group}@@${s.name}`, { name: s.name, group: s.group });
  const names = [...union.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  const pages = Math.max(1, Math.ceil(names.length / input.pageSize));
  const slice = names.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
  const byZone = new Map(lists.map((l) => [l.z.zone, new Map(l.services.map((s) => [`${s.group}@@${s.name}`, s]))]));

  const items = await pool(slice, READ_CONCURRENCY, async ({ name, group }): Promise<MergedServiceRow> => {
    const key = `${group}@@${name}`;
    const cells: Record<string, ZoneServiceCell> = {};
    const reasons = new Set<DifferenceReason>();
    for (const l of lists) {
      const s = byZone.get(l.z.zone)!.get(key);
      if (l.error) cells[l.z.zone] = { state: "unavailable", instanceCount: 0, healthyCount: 0, differs: false };
      else if (!s) {
        cells[l.z.zone] = { state: "missing", instanceCount: 0, healthyCount: 0, differs: true };
        reasons.add("missing");
      } else cells[l.z.zone] = { state: "present", instanceCount: s.instanceCount, healthyCount: s.healthyInstanceCount, differs: false };
    }
    const present = lists.filter((l) => cells[l.z.zone]!.state === "present" && cells[l.z.zone]!.instanceCount > 0);
    if (present.length > 1) {
      const instances = new Map<string, NacosServiceInstance[]>();
      await Promise.all(
        present.map(async (l) => {
          // An instance read that fails leaves the zone out of the comparison; the list still shows.
          const list = await zoneInstances(l.z, l.namespace, group, name).catch(() => null);
          if (list) instances.set(l.z.zone, list);
        }),
      );
      for (const row of align([...instances.keys()], instances)) {
        const differing = (Object.keys(row.differs) as Array<keyof AlignedInstanceRow["differs"]>).filter((k) => row.differs[k]);
        if (!differing.length) continue;
        for (const k of differing) reasons.add(k);
        for (const [zone, inst] of Object.entries(row.cells)) if (inst) cells[zone]!.differs = true;
      }
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

/** Whether the actor may change instances in every zone of the site, hidden zones included. */
function writableEverywhere(actor: Actor, all: Zone[], requested: string | undefined): boolean {
  return all.every((z) => canSee(actor, z.row) && decide(actor.grants, "service.instance.write", scopeOf(z, namespaceIn(z, requested))));
}

/**
 * One service in every readable zone of a site, its instances aligned by ip:port with the
 * fields that differ between zones marked. Who may: service.read; only readable zones.
 */
export async function mergedService(actor: Actor, site: string, input: MergedServiceInput): Promise<MergedServiceDetail> {
  const { all, visible } = await resolveSite(actor, site);
  const zones = readableZones(actor, site, visible, input.namespace);
  const statuses: ZoneStatus[] = [];
  const lists = new Map<string, NacosServiceInstance[]>();
  await Promise.all(
    zones.map(async ({ z, namespace }) => {
      try {
        lists.set(z.zone, await zoneInstances(z, namespace, input.group, input.serviceName));
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
    canDisableEverywhere: writableEverywhere(actor, all, input.namespace),
  };
}

/** One instance of the IP as the operator saw it in one zone (disable everywhere). */
const ExpectedZoneInstance = z
  .object({
    zone: z.string().min(1).max(128),
    port: z.number().int().min(1).max(65_535),
    clusterName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("DEFAULT"),
    enabled: z.boolean(),
    weight: z.number().min(0).max(10_000).optional(),
  })
  .strict();

export const DisableEverywhereInput = z
  .object({
    site: SiteName,
    /** As in the merged view: omitted → each zone's own first namespace. */
    namespace: NamespaceId.optional(),
    group: GroupName.default("DEFAULT_GROUP"),
    serviceName: ServiceNameField,
    ip: z.union([z.ipv4(), z.ipv6()], "must be an IP address"),
    /** Omitted: every port of the IP. */
    port: z.number().int().min(1).max(65_535).optional(),
    /**
     * Required (issue #12): every instance of the IP (and port) the operator saw, zone by zone,
     * with the enabled flag (and optionally the weight) they saw. A zone whose instances differ
     * from this under the lock — another flag or weight, an instance gone, or one not listed
     * here — is not touched and is reported `conflict` with its current values and a diff.
     */
    expected: z.array(ExpectedZoneInstance).max(1_000),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.expected.forEach((e, i) => {
      const id = `${e.zone}/${e.port}/${e.clusterName}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["expected", i], message: "lists this zone, port and cluster twice" });
      seen.add(id);
      if (v.port !== undefined && e.port !== v.port) ctx.addIssue({ code: "custom", path: ["expected", i, "port"], message: "is not the port being disabled" });
    });
  });
export type DisableEverywhereInput = z.infer<typeof DisableEverywhereInput>;

/** An instance as the audit row and the confirmation show it. */
export interface InstanceState {
  ip: string;
  port: number;
  clusterName: string;
  weight: number;
  enabled: boolean;
}

/** A field of one instance that is not what the operator saw (`instance`: present/absent). */
export interface ZoneInstanceDiff {
  /** "ip:port/cluster" */
  instance: string;
  field: "instance" | "enabled" | "weight";
  expected: unknown;
  current: unknown;
}

export interface ZoneDisableOutcome {
  zone: string;
  environment: string;
  namespace: string;
  /**
   * `succeeded`: Nacos shows every instance disabled (or there was nothing to do);
   * `conflict`: the zone differed from `expected`, nothing written there (see `current`, `diff`);
   * `unknown`: sent, but Nacos did not show it in time — check; `failed`: see `error`.
   */
  status: "succeeded" | "conflict" | "unknown" | "failed";
  /** status is `succeeded`. */
  ok: boolean;
  /** Plain words naming Nacos and the environment (also for `conflict` and `unknown`). */
  error?: string;
  /** Instances of the IP (and port) registered in the zone (read under the lock). */
  matched: number;
  /** Instances this call sent a disable for (already disabled ones are left alone). */
  changed: number;
  /** Read under the lock. */
  before: InstanceState[];
  /** Read back after the writes (the last read for `unknown`; `before` when nothing was written). */
  after: InstanceState[];
  /** For `conflict`: the zone's instances of the IP now, and what differs from `expected`. */
  current?: InstanceState[];
  diff?: ZoneInstanceDiff[];
}

export interface DisableEverywhereResult {
  site: string;
  /** `outcome` is `partial`: some zones were changed and others were not; `zones` says which. */
  partial: boolean;
  /** As audited. `unknown`: some zone's change was not shown by Nacos in time (HTTP 202). */
  outcome: "succeeded" | "partial" | "unknown";
  zones: ZoneDisableOutcome[];
}

const stateOf = (i: NacosServiceInstance): InstanceState => ({ ip: i.ip, port: i.port, clusterName: i.clusterName, weight: i.weight, enabled: i.enabled });

/**
 * Disables an IP (one port, or all its ports) of a service in every zone of a site. Who may:
 * service.instance.write in every zone of the site; refused before any change otherwise (a
 * zone the actor cannot see counts as not writable). Side effects: Nacos instance updates, zone
 * by zone in zone-name order, each sent once, each zone under the per-instance locks of
 * lib/registry/instance-change.ts: a zone that is not as the operator saw it (`expected`) is
 * reported `conflict` and not touched, and a zone's writes are confirmed by reading them back.
 * Audited with every zone's before (read under the lock) and after (read back), as `succeeded`,
 * `unknown` (some zone not shown in time), `partial` (some zones changed, others not; the
 * result lists them), `conflict` (409, nothing sent anywhere) or `failed`.
 */
export const disableEverywhere = defineOperation({
  action: "service.instance.disable_everywhere",
  permission: "service.instance.write",
  hideWhenUnreadable: "service.read",
  input: DisableEverywhereInput,
  async target(input, ctx) {
    const { visible } = await resolveSite(ctx.actor, input.site);
    // The scope checked is the first zone the actor may not write, so a refusal is audited as
    // `denied` against that zone; when every visible zone is writable, the first zone.
    const pick = visible.find((z) => !decide(ctx.actor.grants, "service.instance.write", scopeOf(z, namespaceIn(z, input.namespace)))) ?? visible[0]!;
    return {
      kind: "instance",
      name: `${input.group}@@${input.serviceName}/${input.ip}:${input.port ?? "*"}`,
      environment: { name: pick.row.name, labels: pick.row.labels },
      namespace: namespaceIn(pick, input.namespace) || "public",
    };
  },
  async run(input, ctx) {
    const all = await allZones(input.site);
    if (!all.length) throw new AppError("NOT_FOUND", `site ${input.site} has no zones`);
    if (!writableEverywhere(ctx.actor, all, input.namespace)) {
      throw new AppError("FORBIDDEN", `${ctx.actor.username} lacks service.instance.write in some zone of site ${input.site}`, {
        userMessage: `You may not change instances in every zone of site ${input.site}; nothing was changed.`,
      });
    }
    const matches = (i: NacosServiceInstance) => i.ip === input.ip && (input.port === undefined || i.port === input.port);
    // Read every zone first: an IP registered nowhere is refused before any write.
    const reads = await Promise.all(
      all.map(async (z) => {
        const namespace = namespaceIn(z, input.namespace);
        try {
          const list = await clientOf(z).listInstances({ namespace, group: input.group, serviceName: input.serviceName });
          return { z, namespace, found: list.filter(matches), error: undefined as unknown };
        } catch (e) {
          if (isAppError(e) && e.code === "NOT_FOUND") return { z, namespace, found: [] as NacosServiceInstance[], error: undefined as unknown };
          return { z, namespace, found: [] as NacosServiceInstance[], error: e as unknown };
        }
      }),
    );
    if (reads.every((r) => !r.error && r.found.length === 0)) {
      throw new AppError("NOT_FOUND", `${input.ip} is not an instance of ${input.group}/${input.serviceName} in any zone of ${input.site}`, {
        userMessage: `${input.ip}${input.port ? `:${input.port}` : ""} is not registered for ${input.serviceName} in any zone of site ${input.site}.`,
      });
    }

    const outcomes: ZoneDisableOutcome[] = [];
    let firstError: unknown;
    for (const r of reads) {
      const base = { zone: r.z.zone, environment: r.z.row.name, namespace: r.namespace };
      if (r.error) {
        firstError ??= r.error;
        outcomes.push({ ...base, status: "failed", ok: false, error: userMessageOf(r.error), matched: r.found.length, changed: 0, before: [], after: [] });
        continue;
      }
      const seen = input.expected.filter((e) => e.zone === r.z.zone);
      // Lock what the first read found and what the operator saw; anything else found under the lock is a conflict.
      const refs = [...r.found.map((i) => ({ port: i.port, clusterName: i.clusterName })), ...seen].map((i) => ({
        environment: r.z.row.name,
        namespace: r.namespace,
        group: input.group,
        serviceName: input.serviceName,
        clusterName: i.clusterName,
        ip: input.ip,
        port: i.port,
      }));
      if (!refs.length) {
        outcomes.push({ ...base, status: "succeeded", ok: true, matched: 0, changed: 0, before: [], after: [] });
        continue;
      }
      try {
        const o = await withInstanceLocks(refs, () => disableInZone(r.z, r.namespace, input, seen));
        if (o.status === "failed") firstError ??= o.cause;
        outcomes.push({ ...base, ...o.outcome });
      } catch (e) {
        firstError ??= e;
        outcomes.push({ ...base, status: "failed", ok: false, error: userMessageOf(e), matched: r.found.length, changed: 0, before: r.found.map(stateOf), after: r.found.map(stateOf) });
      }
    }

    const conflicts = outcomes.filter((o) => o.status === "conflict");
    const touched = outcomes.some((o) => o.changed > 0);
    // Nothing done anywhere the IP is known to be registered: a plain failure, not a partial one.
    if (!touched && !conflicts.length && outcomes.some((o) => o.status === "failed") && outcomes.every((o) => o.status === "failed" || o.matched === 0)) throw firstError;
    // Nothing sent anywhere and some zone was not as the operator saw it: 409 with every zone's state.
    if (!touched && conflicts.length) {
      throw new AppError("CONFLICT", `disable ${input.ip} in site ${input.site}: ${conflicts.map((c) => c.zone).join(", ")} differ from the expectation`, {
        userMessage: `${input.ip} changed in ${conflicts.map((c) => `zone ${c.zone} (${c.environment})`).join(", ")} since you loaded it; nothing was changed. Review the current values and try again.`,
        details: {
          details: {
            current: Object.fromEntries(outcomes.map((o) => [o.zone, o.current ?? o.before])),
            diff: conflicts.flatMap((c) => (c.diff ?? []).map((d) => ({ zone: c.zone, ...d }))),
            zones: outcomes,
          },
        },
      });
    }
    const outcome = outcomes.every((o) => o.status === "succeeded") ? "succeeded" : outcomes.every((o) => o.status === "succeeded" || o.status === "unknown") ? "unknown" : "partial";
    const result: DisableEverywhereResult = { site: input.site, partial: outcome === "partial", outcome, zones: outcomes };
    const perZone = (pick: "before" | "after") => outcomes.map((o) => ({ zone: o.zone, environment: o.environment, namespace: o.namespace, instances: o[pick] }));
    return {
      result,
      before: perZone("before"),
      after: perZone("after"),
      outcome,
      detail: {
        site: input.site,
        zones: outcomes.map((o) => ({
          zone: o.zone,
          environment: o.environment,
          namespace: o.namespace,
          status: o.status,
          ok: o.ok,
          matched: o.matched,
          changed: o.changed,
          ...(o.error ? { error: o.error } : {}),
          ...(o.diff ? { diff: o.diff } : {}),
        })),
      },
    };
  },
});

const instanceId = (i: { ip: string; port: number; clusterName: string }) => `${i.ip}:${i.port}/${i.clusterName}`;

type ZoneWork = { status: ZoneDisableOutcome["status"]; cause?: unknown; outcome: Omit<ZoneDisableOutcome, "zone" | "environment" | "namespace"> };

/**
 * One zone of "disable everywhere", run holding the locks of its instances of the IP: read,
 * compare with what the operator saw (any difference → `conflict`, nothing written), disable
 * each enabled instance once (weight sent as read, metadata untouched), then wait until Nacos
 * shows every instance disabled (`unknown` when it does not in time).
 */
async function disableInZone(z: Zone, namespace: string, input: DisableEverywhereInput, seen: DisableEverywhereInput["expected"]): Promise<ZoneWork> {
  const client = clientOf(z);
  const key = { namespace, group: input.group, serviceName: input.serviceName };
  const matches = (i: NacosServiceInstance) => i.ip === input.ip && (input.port === undefined || i.port === input.port);
  const read = async () => {
    try {
      // In port order, so before and after line up whatever order Nacos lists them in.
      return (await client.listInstances(key)).filter(matches).sort((x, y) => x.port - y.port || x.clusterName.localeCompare(y.clusterName));
    } catch (e) {
      if (isAppError(e) && e.code === "NOT_FOUND") return [];
      throw e;
    }
  };
  const found = await read();
  const before = found.map(stateOf);
  const diff: ZoneInstanceDiff[] = [];
  for (const inst of found) {
    const e = seen.find((s) => s.port === inst.port && s.clusterName === inst.clusterName);
    if (!e) diff.push({ instance: instanceId(inst), field: "instance", expected: null, current: stateOf(inst) });
    else for (const d of diffExpectation({ enabled: e.enabled, weight: e.weight }, inst)) diff.push({ instance: instanceId(inst), field: d.field as "enabled" | "weight", expected: d.expected, current: d.current });
  }
  for (const e of seen) {
    if (!found.some((i) => i.port === e.port && i.clusterName === e.clusterName)) {
      diff.push({ instance: instanceId({ ip: input.ip, ...e }), field: "instance", expected: { enabled: e.enabled, ...(e.weight !== undefined ? { weight: e.weight } : {}) }, current: null });
    }
  }
  if (diff.length) {
    return {
      status: "conflict",
      outcome: {
        status: "conflict",
        ok: false,
        error: `${input.ip} in Nacos of environment ${z.row.name} is not as you saw it (${diff.map((d) => `${d.instance} ${d.field}`).join(", ")}); nothing was changed in this zone.`,
        matched: found.length,
        changed: 0,
        before,
        after: before,
        current: before,
        diff,
      },
    };
  }
  const sent: NacosServiceInstance[] = [];
  let error: unknown;
  try {
    for (const inst of found) {
      if (!inst.enabled) continue;
      try {
        await client.updateInstance({ ...key, ip: inst.ip, port: inst.port, clusterName: inst.clusterName, weight: inst.weight, enabled: false });
      } catch (e) {
        // A write that timed out may still land (the read-back tells); any other error stops the zone. Never retried.
        if (!(isAppError(e) && e.code === "UPSTREAM_TIMEOUT")) {
          error = e;
          break;
        }
      }
      sent.push(inst);
    }
    if (!sent.length && !error) return { status: "succeeded", outcome: { status: "succeeded", ok: true, matched: found.length, changed: 0, before, after: before } };
    const shown = (list: NacosServiceInstance[]) => sent.every((s) => list.some((i) => i.port === s.port && i.clusterName === s.clusterName && !i.enabled && i.weight === s.weight));
    const back = await waitUntilShown(read, shown);
    const after = (back.last ?? found).map(stateOf);
    if (error) return { status: "failed", cause: error, outcome: { status: "failed", ok: false, error: userMessageOf(error), matched: found.length, changed: sent.length, before, after } };
    if (back.confirmed) return { status: "succeeded", outcome: { status: "succeeded", ok: true, matched: found.length, changed: sent.length, before, after } };
    return { status: "unknown", outcome: { status: "unknown", ok: false, error: unconfirmedMessage(`${input.ip}`, z.row.name), matched: found.length, changed: sent.length, before, after } };
  } finally {
    if (sent.length) {
      invalidate(`svc:${z.row.name}:`);
      invalidate(`snap:${z.row.name}:`);
      invalidate(`inst:${z.row.name}:${namespace}:${input.group}:${input.serviceName}`);
    }
  }
}
