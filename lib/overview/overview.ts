/**
 * The overview of one environment or one site (the environments sharing a `site` label, one
 * zone each): registry counts now and over time per zone (from the sampler's rows), changes
 * per period and activity from the audit log, failed and denied operations in the last 24 h,
 * and active gray releases. Who may: environment.read; registry counts only of namespaces with
 * service.read; audit figures only of rows the caller may read in the audit log (all for
 * auditors and unscoped admins, else their own, docs/security.md §16). 404 outside scope.
 */
import "server-only";
import { asc, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { environments, type EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { seesAllAudit } from "@/lib/audit/query";
import { decide } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { EnvironmentName } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { RANGES, type Range } from "@/lib/overview/queries";
import { namespacesOf, zoneOf, type Counts } from "@/lib/overview/sampler";
import { VALIDATION_AREAS, type ValidationArea } from "@/lib/overview/keys";
import { binned, snapshots, type ValidationSampleRow } from "@/lib/overview/validation-series";
import { getService } from "@/lib/registry/services";

export const OverviewInput = z
  .object({
    environment: EnvironmentName.optional(),
    site: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,63}$/, "must be a site label value")
      .optional(),
    range: z.enum(RANGES).default("24h"),
  })
  .refine((v) => Boolean(v.environment) !== Boolean(v.site), { message: "give either environment or site", path: ["environment"] });
export type OverviewInput = z.infer<typeof OverviewInput>;

/** Bucket width of each range's charts, in seconds. */
const BUCKET: Record<Range, { seconds: number; step: number }> = {
  "1h": { seconds: 3_600, step: 60 },
  "6h": { seconds: 21_600, step: 600 },
  "24h": { seconds: 86_400, step: 3_600 },
  "7d": { seconds: 604_800, step: 86_400 },
};

export const CHANGE_KINDS = ["configPublish", "grayRelease", "mesh", "gateway"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Which audit actions each change series counts (succeeded outcomes). */
const CHANGE_ACTIONS: Record<ChangeKind, string> = {
  configPublish: "^config\\.(publish|rollback|delete)$",
  grayRelease: "^config\\.gray\\.",
  mesh: "^mesh\\.policy\\.",
  gateway: "^gateway\\.route\\.",
};

export interface ZoneCounts extends Counts {
  zone: string;
  environments: string[];
}

export interface CountPoint extends Counts {
  t: string;
}

export interface GrayReleaseView {
  environment: string;
  namespace: string;
  group: string;
  dataId: string;
  createdAt: string;
  deadline: string | null;
  /** Instances on gray (n). */
  grayInstances: number;
  /** Instances of the rule's service now (m); null when unknown (ip lists, no access, registry down). */
  ofInstances: number | null;
  creator: string;
}

export interface OverviewView {
  scope: { environment?: string; site?: string; environments: string[] };
  range: Range;
  from: string;
  to: string;
  stepSeconds: number;
  /** When the registry counts were last sampled (null: never). */
  sampledAt: string | null;
  instances: {
    now: ZoneCounts[];
    /** Per zone, one point per bucket (averages within the bucket). */
    history: Array<{ zone: string; points: CountPoint[] }>;
  };
  changes: Array<{ t: string } & Record<ChangeKind, number>>;
  byAction: Array<{ action: string; count: number }>;
  topActors: Array<{ actor: string; count: number }>;
  problems: { failed: number; denied: number; recent: Array<{ id: number; at: string; action: string; actor: string; outcome: string; environment: string | null }> };
  /** Audit figures cover every actor, or only the caller's own actions. */
  auditScope: "all" | "own";
  grayReleases: { available: boolean; items: GrayReleaseView[] };
  /** Mesh objects and HTTPRoutes with validation errors (and warnings), as the sampler judged them (lib/overview/validation-sampler.ts). */
  validation: ValidationView;
}

/** One area of one environment now. */
export interface ValidationAreaNow {
  /** The newest sample (null: never sampled). */
  sampledAt: string | null;
  /** Null: the newest sample could not judge the environment (API down, over the time budget). */
  errors: number | null;
  warnings: number | null;
  namespaces: Array<{ namespace: string; errors: number; warnings: number }>;
}

/**
 * Per environment with a Kubernetes API in scope; counts only of namespaces the caller may read
 * in the area (mesh.policy.read, gateway.route.read).
 */
export interface ValidationView {
  now: Array<{ environment: string; zone: string } & Record<ValidationArea, ValidationAreaNow>>;
  history: Array<{ environment: string; area: ValidationArea; points: Array<{ t: string; errors: number | null; warnings: number | null }> }>;
}

/** A PostgreSQL text[] literal, each element quoted and escaped (bound as one parameter). */
function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

async function scopeRows(actor: Actor, input: OverviewInput): Promise<EnvironmentRow[]> {
  if (input.environment) return [await resolveEnvironmentRow(actor, input.environment, "environment.read")];
  const rows = await (await getDb())
    .select()
    .from(environments)
    .where(sql`${environments.labels} ->> 'site' = ${input.site!}`)
    .orderBy(asc(environments.name));
  const visible = rows.filter((r) => decide(actor.grants, "environment.read", { environment: { name: r.name, labels: r.labels } }));
  if (visible.length === 0) throw new AppError("NOT_FOUND", `site ${input.site} not visible`);
  return visible;
}

/** (environment id, namespace) pairs whose registry counts the actor may read. */
function visibleNamespaces(actor: Actor, rows: EnvironmentRow[]): { ids: string[]; namespaces: string[] } {
  const ids: string[] = [];
  const namespaces: string[] = [];
  for (const r of rows) {
    for (const ns of namespacesOf(r)) {
      if (decide(actor.grants, "service.read", { environment: { name: r.name, labels: r.labels }, namespace: ns || "public" })) {
        ids.push(r.id);
        namespaces.push(ns);
      }
    }
  }
  return { ids, namespaces };
}

const num = (v: unknown) => Number(v ?? 0);

function counts(r: Record<string, unknown>): Counts {
  return { services: num(r.services), instances: num(r.instances), healthy: num(r.healthy), unhealthy: num(r.unhealthy), disabled: num(r.disabled) };
}

export async function getOverview(actor: Actor, input: OverviewInput): Promise<OverviewView> {
  const rows = await scopeRows(actor, input);
  const db = await getDb();
  const { seconds, step } = BUCKET[input.range];
  const to = new Date();
  const from = new Date(to.getTime() - seconds * 1000);
  const dayAgo = new Date(to.getTime() - 86_400_000);
  const vis = visibleNamespaces(actor, rows);
  const zoneByEnv = new Map(rows.map((r) => [r.id, zoneOf(r)]));
  const pairs = sql`(s.environment_id, s.namespace) IN (SELECT * FROM unnest(${pgArray(vis.ids)}::text[], ${pgArray(vis.namespaces)}::text[]))`;
  const stepInterval = `${step} seconds`;
  // Audit: the rows the caller may read, of the scope's environments.
  const own = !seesAllAudit(actor);
  const names = rows.map((r) => r.name);
  const auditWhere = (since: Date): SQL =>
    sql`created_at >= ${since.toISOString()}::timestamptz AND environment IN (SELECT unnest(${pgArray(names)}::text[])) ${own ? sql`AND actor_id = ${actor.id}` : sql``}`;
  const query = async (q: SQL) => rowsOf<Record<string, unknown>>(await db.execute(q));
  const none = Promise.resolve<Array<Record<string, unknown>>>([]);

  // Independent reads, at once (bench/overview).
  const [latest, history, changeRows, byActionRows, topActorRows, problemRows, recentRows, grayReleases, validation] = await Promise.all([
    // Per environment: the newest minute row of each visible namespace, summed.
    vis.ids.length
      ? query(sql`
          SELECT s.environment_id, max(s.bucket)::text AS bucket, sum(s.services) AS services, sum(s.instances) AS instances,
                 sum(s.healthy) AS healthy, sum(s.unhealthy) AS unhealthy, sum(s.disabled) AS disabled
          FROM overview_samples s
          JOIN (SELECT environment_id, max(bucket) AS bucket FROM overview_samples s WHERE resolution = 'minute' AND ${pairs} GROUP BY environment_id) m
            ON m.environment_id = s.environment_id AND m.bucket = s.bucket
          WHERE s.resolution = 'minute' AND ${pairs}
          GROUP BY s.environment_id`)
      : none,
    // History: per bucket the visible namespaces summed per zone, then averaged within the step.
    vis.ids.length
      ? query(sql`
          WITH per AS (
            SELECT s.bucket, s.environment_id, sum(s.services) AS services, sum(s.instances) AS instances, sum(s.healthy) AS healthy,
                   sum(s.unhealthy) AS unhealthy, sum(s.disabled) AS disabled
            FROM overview_samples s
            WHERE s.bucket >= ${from.toISOString()}::timestamptz AND ${pairs}
              AND (s.resolution = 'minute' OR ${input.range === "7d"})
            GROUP BY s.bucket, s.environment_id, s.resolution
          )
          SELECT date_bin(${stepInterval}::interval, bucket, TIMESTAMPTZ '2000-01-01T00:00:00Z') AS t, environment_id,
                 round(avg(services)) AS services, round(avg(instances)) AS instances, round(avg(healthy)) AS healthy,
                 round(avg(unhealthy)) AS unhealthy, round(avg(disabled)) AS disabled
          FROM per GROUP BY 1, 2 ORDER BY 1`)
      : none,
    query(sql`
      SELECT date_bin(${stepInterval}::interval, created_at, TIMESTAMPTZ '2000-01-01T00:00:00Z') AS t,
             count(*) FILTER (WHERE action ~ ${CHANGE_ACTIONS.configPublish})::int AS "configPublish",
             count(*) FILTER (WHERE action ~ ${CHANGE_ACTIONS.grayRelease})::int AS "grayRelease",
             count(*) FILTER (WHERE action ~ ${CHANGE_ACTIONS.mesh})::int AS mesh,
             count(*) FILTER (WHERE action ~ ${CHANGE_ACTIONS.gateway})::int AS gateway
      FROM audit_events
      WHERE phase = 'outcome' AND outcome = 'succeeded' AND ${auditWhere(from)}
      GROUP BY 1 ORDER BY 1`),
    query(sql`SELECT action, count(*)::int AS count FROM audit_events WHERE phase = 'outcome' AND ${auditWhere(from)} GROUP BY action ORDER BY count DESC, action LIMIT 20`),
    query(sql`SELECT actor_name AS actor, count(*)::int AS count FROM audit_events WHERE phase = 'outcome' AND ${auditWhere(from)} GROUP BY actor_name ORDER BY count DESC, actor_name LIMIT 10`),
    query(sql`
      SELECT count(*) FILTER (WHERE outcome IN ('failed', 'conflict', 'partial', 'unknown'))::int AS failed, count(*) FILTER (WHERE outcome = 'denied')::int AS denied
      FROM audit_events WHERE phase = 'outcome' AND ${auditWhere(dayAgo)}`),
    query(sql`
      SELECT id::text AS id, created_at::text AS at, action, actor_name AS actor, outcome, environment FROM audit_events
      WHERE phase = 'outcome' AND outcome IN ('failed', 'conflict', 'partial', 'unknown', 'denied') AND ${auditWhere(dayAgo)}
      ORDER BY created_at DESC, id DESC LIMIT 10`),
    activeGrayReleases(actor, rows),
    validationView(actor, rows, from, input.range, step),
  ]);

  const nowByZone = new Map<string, ZoneCounts>();
  let sampledAt: string | null = null;
  for (const r of latest) {
    const zone = zoneByEnv.get(String(r.environment_id)) ?? "?";
    const c = counts(r);
    const z = nowByZone.get(zone) ?? { zone, environments: [], services: 0, instances: 0, healthy: 0, unhealthy: 0, disabled: 0 };
    for (const k of ["services", "instances", "healthy", "unhealthy", "disabled"] as const) z[k] += c[k];
    z.environments.push(rows.find((x) => x.id === r.environment_id)?.name ?? "");
    nowByZone.set(zone, z);
    const b = new Date(String(r.bucket)).toISOString();
    if (!sampledAt || b > sampledAt) sampledAt = b;
  }
  const histByZone = new Map<string, Map<string, CountPoint>>();
  for (const r of history) {
    const zone = zoneByEnv.get(String(r.environment_id)) ?? "?";
    const t = new Date(String(r.t)).toISOString();
    const byT = histByZone.get(zone) ?? new Map<string, CountPoint>();
    const p = byT.get(t) ?? { t, services: 0, instances: 0, healthy: 0, unhealthy: 0, disabled: 0 };
    const c = counts(r);
    for (const k of ["services", "instances", "healthy", "unhealthy", "disabled"] as const) p[k] += c[k];
    byT.set(t, p);
    histByZone.set(zone, byT);
  }
  const changes: OverviewView["changes"] = [];
  const firstBin = Math.floor((from.getTime() - Date.UTC(2000, 0, 1)) / (step * 1000)) * step * 1000 + Date.UTC(2000, 0, 1);
  const byBin = new Map(changeRows.map((r) => [new Date(String(r.t)).toISOString(), r]));
  for (let t = firstBin; t <= to.getTime(); t += step * 1000) {
    const key = new Date(t).toISOString();
    const r = byBin.get(key);
    changes.push({ t: key, configPublish: num(r?.configPublish), grayRelease: num(r?.grayRelease), mesh: num(r?.mesh), gateway: num(r?.gateway) });
  }
  const problemCounts = problemRows[0];
  return {
    scope: { environment: input.environment, site: input.site, environments: names },
    range: input.range,
    from: from.toISOString(),
    to: to.toISOString(),
    stepSeconds: step,
    sampledAt,
    instances: {
      now: [...nowByZone.values()].sort((a, b) => a.zone.localeCompare(b.zone)),
      history: [...histByZone.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([zone, byT]) => ({ zone, points: [...byT.values()].sort((a, b) => a.t.localeCompare(b.t)) })),
    },
    changes,
    byAction: byActionRows.map((r) => ({ action: String(r.action), count: num(r.count) })),
    topActors: topActorRows.map((r) => ({ actor: String(r.actor), count: num(r.count) })),
    problems: {
      failed: num(problemCounts?.failed),
      denied: num(problemCounts?.denied),
      recent: recentRows.map((r) => ({ id: Number(r.id), at: new Date(String(r.at)).toISOString(), action: String(r.action), actor: String(r.actor), outcome: String(r.outcome), environment: r.environment === null ? null : String(r.environment) })),
    },
    auditScope: own ? "own" : "all",
    grayReleases,
    validation,
  };
}

/**
 * Active gray releases of the scope's environments, in namespaces the caller may read configs
 * in. Read from the configs area's table by SQL, so the overview does not depend on its code;
 * a database without that table yet says "not available" instead of failing the page.
 */
async function activeGrayReleases(actor: Actor, rows: EnvironmentRow[]): Promise<OverviewView["grayReleases"]> {
  const db = await getDb();
  let found: Array<Record<string, unknown>>;
  try {
    found = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        SELECT environment, namespace, group_name, data_id, created_at::text AS created_at, deadline::text AS deadline,
               jsonb_array_length(ips) AS gray_instances, creator_name, rule
        FROM config_gray_releases
        WHERE state = 'active' AND environment IN (SELECT unnest(${pgArray(rows.map((r) => r.name))}::text[]))
        ORDER BY created_at LIMIT 200`),
    );
  } catch (e) {
    if ((e as { code?: string }).code === "42P01" || (e as { cause?: { code?: string } }).cause?.code === "42P01") return { available: false, items: [] };
    throw e;
  }
  const byName = new Map(rows.map((r) => [r.name, r]));
  const visible = found.filter((g) => {
    const r = byName.get(String(g.environment));
    return r && decide(actor.grants, "config.read", { environment: { name: r.name, labels: r.labels }, namespace: String(g.namespace) || "public" });
  });
  return {
    available: true,
    items: await Promise.all(
      visible.map(async (g, i) => ({
        environment: String(g.environment),
        namespace: String(g.namespace),
        group: String(g.group_name),
        dataId: String(g.data_id),
        createdAt: new Date(String(g.created_at)).toISOString(),
        deadline: g.deadline ? new Date(String(g.deadline)).toISOString() : null,
        grayInstances: num(g.gray_instances),
        ofInstances: i < GRAY_SERVICE_READS ? await serviceInstances(actor, String(g.environment), String(g.namespace), g.rule as GrayRuleShape) : null,
        creator: String(g.creator_name),
      })),
    ),
  };
}

/** The service a rule chose its instances from (ip lists name none). */
type GrayRuleShape = { kind: string; service?: string; serviceGroup?: string } | null;

/** Gray releases whose "of m instances" is read from the registry per view; the rest show n only. */
const GRAY_SERVICE_READS = 20;

/**
 * How many instances the rule's service has now (the "m" of "n of m on gray"), read through
 * the services page's read with the caller's own scope; null when the rule names no service,
 * the caller may not read it, or the registry does not answer (the overview still renders).
 */
async function serviceInstances(actor: Actor, environment: string, namespace: string, rule: GrayRuleShape): Promise<number | null> {
  if (!rule?.service) return null;
  try {
    const detail = await getService(actor, environment, { namespace, group: rule.serviceGroup || "DEFAULT_GROUP", serviceName: rule.service });
    return detail.instances.length;
  } catch {
    return null;
  }
}

const AREA_READ = { mesh: "mesh.policy.read", gateway: "gateway.route.read" } as const;

/**
 * Objects with validation errors per environment with a Kubernetes API and area: the newest
 * sample and the range's samples, folded by lib/overview/validation-series.ts over the namespaces
 * the caller may read in that area (docs/security.md §16).
 */
async function validationView(actor: Actor, rows: EnvironmentRow[], from: Date, range: Range, step: number): Promise<ValidationView> {
  const kube = rows.filter((r) => r.kubernetes);
  if (!kube.length) return { now: [], history: [] };
  const db = await getDb();
  const ids = pgArray(kube.map((r) => r.id));
  const byId = new Map(kube.map((r) => [r.id, r]));
  const visible = (area: ValidationArea) => (envId: string, namespace: string) => {
    const r = byId.get(envId);
    return Boolean(r && decide(actor.grants, AREA_READ[area], { environment: { name: r.name, labels: r.labels }, namespace }));
  };
  const toRow = (r: Record<string, unknown>): ValidationSampleRow & { area: ValidationArea } => ({
    area: String(r.area) as ValidationArea,
    environmentId: String(r.environment_id),
    namespace: String(r.namespace),
    bucket: new Date(String(r.bucket)).toISOString(),
    errors: r.errors === null ? null : num(r.errors),
    warnings: r.warnings === null ? null : num(r.warnings),
  });
  const [latestRows, rangeRows] = await Promise.all([
    db.execute(sql`
      SELECT s.area, s.environment_id, s.namespace, s.bucket::text AS bucket, s.errors, s.warnings
      FROM overview_validation_samples s
      JOIN (SELECT area, environment_id, max(bucket) AS bucket FROM overview_validation_samples
            WHERE resolution = 'minute' AND namespace = '' AND environment_id IN (SELECT unnest(${ids}::text[]))
            GROUP BY area, environment_id) m
        ON m.area = s.area AND m.environment_id = s.environment_id AND m.bucket = s.bucket
      WHERE s.resolution = 'minute'`),
    // Per chart bin only the sample binned() would show (the newest known one, else the newest):
    // chosen from the marker rows in SQL, so a 30-day range reads one sample per bin, not every minute.
    db.execute(sql`
      WITH markers AS (
        SELECT area, environment_id, resolution, bucket, errors,
               date_bin(${`${step} seconds`}::interval, bucket, TIMESTAMPTZ '2000-01-01T00:00:00Z') AS bin
        FROM overview_validation_samples
        WHERE namespace = '' AND environment_id IN (SELECT unnest(${ids}::text[])) AND bucket >= ${from.toISOString()}::timestamptz
          AND (resolution = 'minute' OR ${range === "7d"})
      ), chosen AS (
        SELECT DISTINCT ON (area, environment_id, bin) area, environment_id, resolution, bucket
        FROM markers ORDER BY area, environment_id, bin, (errors IS NULL), bucket DESC
      )
      SELECT s.area, s.environment_id, s.namespace, s.bucket::text AS bucket, s.errors, s.warnings
      FROM overview_validation_samples s
      JOIN chosen c ON c.area = s.area AND c.environment_id = s.environment_id AND c.resolution = s.resolution AND c.bucket = s.bucket`),
  ]);
  const latest = rowsOf<Record<string, unknown>>(latestRows).map(toRow);
  const inRange = rowsOf<Record<string, unknown>>(rangeRows).map(toRow);
  const per = Object.fromEntries(
    VALIDATION_AREAS.map((area) => [area, { latest: snapshots(latest.filter((r) => r.area === area), visible(area)), inRange: snapshots(inRange.filter((r) => r.area === area), visible(area)) }]),
  ) as Record<ValidationArea, { latest: ReturnType<typeof snapshots>; inRange: ReturnType<typeof snapshots> }>;
  const nowOf = (area: ValidationArea, id: string): ValidationAreaNow => {
    const s = per[area].latest.get(id)?.at(-1);
    return { sampledAt: s?.bucket ?? null, errors: s ? s.errors : null, warnings: s ? s.warnings : null, namespaces: s?.namespaces ?? [] };
  };
  return {
    now: kube.map((r) => ({ environment: r.name, zone: zoneOf(r), mesh: nowOf("mesh", r.id), gateway: nowOf("gateway", r.id) })),
    history: kube
      .flatMap((r) => VALIDATION_AREAS.map((area) => ({ environment: r.name, area, points: binned(per[area].inRange.get(r.id) ?? [], step) })))
      .filter((h) => h.points.length > 0),
  };
}
