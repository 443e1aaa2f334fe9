/**
 * The overview sampler: once a minute, per environment and namespace, the registry's services
 * and instances (healthy, unhealthy, disabled), read through the same registry reads the
 * services pages use (lib/registry/services.ts), recorded into PostgreSQL.
 *
 * Every replica runs it; one samples. A lease row (overview_sampler_lease) names the replica
 * that samples until it expires, renewed each round, taken over when its holder stops; the
 * primary key (environment, namespace, resolution, minute) with ON CONFLICT DO NOTHING keeps a
 * minute to one row even if two replicas ever sampled at once. Minutes older than 24 hours are
 * folded into hourly averages; hours older than 30 days are dropped. The clock is the
 * database's, the one clock all replicas share.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { environments, type EnvironmentRow } from "@/db/schema";
import { SYSTEM_ACTOR, type Actor } from "@/lib/auth/actor";
import { logger } from "@/lib/logger";
import { registryFor } from "@/lib/registry/nacos-scope";
import { getService, listServices } from "@/lib/registry/services";
import { downsampleValidation, sampleValidation } from "@/lib/overview/validation-sampler";

/** This process, as named in the lease and on the rows it writes. */
export const REPLICA_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Reads every service of every environment and namespace; writes nothing in a registry. */
export const SAMPLER: Actor = {
  ...SYSTEM_ACTOR,
  username: "overview-sampler",
  displayName: "Switchyard (overview sampler)",
  grants: [{ role: "viewer", environmentSelector: "*", namespacePattern: "*", via: "system", bindingId: "overview-sampler" }],
};

const PAGE = 200;
const MAX_SERVICES = 50_000;
/** Parallel instance reads per namespace (for the disabled count): polite to the registry. */
const INSTANCE_READS = 8;

export interface Counts {
  services: number;
  instances: number;
  healthy: number;
  unhealthy: number;
  disabled: number;
}

/** The zone an environment stands for in its site: its `zone` label, else its name. */
export function zoneOf(row: Pick<EnvironmentRow, "name" | "labels">): string {
  return row.labels.zone || row.name;
}

export function namespacesOf(row: EnvironmentRow): string[] {
  return row.registry?.kind === "nacos" && row.registry.namespaces.length ? row.registry.namespaces : [""];
}

/** One environment's namespace, counted as the services page counts it. */
export async function countNamespace(row: EnvironmentRow, namespace: string): Promise<Counts> {
  const first = await listServices(SAMPLER, row.name, { namespace, page: 1, pageSize: PAGE });
  const services = [...first.items];
  for (let p = 2; p <= first.pages && services.length < MAX_SERVICES; p++) services.push(...(await listServices(SAMPLER, row.name, { namespace, page: p, pageSize: PAGE })).items);
  const instances = services.reduce((n, s) => n + s.instanceCount, 0);
  const healthy = services.reduce((n, s) => n + s.healthyInstanceCount, 0);
  // Disabled is per instance: the list carries only counts. Services without instances are skipped.
  const limit = pLimit(INSTANCE_READS);
  const withInstances = services.filter((s) => s.instanceCount > 0);
  let disabled = 0;
  if (row.registry?.kind === "nacos") {
    const { client } = await registryFor(SAMPLER, row, namespace, "service.read");
    const lists = await Promise.all(withInstances.map((s) => limit(() => client.listInstances({ namespace, group: s.group, serviceName: s.name }))));
    disabled = lists.reduce((n, l) => n + l.filter((i) => !i.enabled).length, 0);
  } else {
    const lists = await Promise.all(withInstances.map((s) => limit(() => getService(SAMPLER, row.name, { namespace, group: s.group, serviceName: s.name }))));
    disabled = lists.reduce((n, l) => n + l.instances.filter((i) => !i.enabled).length, 0);
  }
  return { services: services.length, instances, healthy, unhealthy: instances - healthy, disabled };
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Takes or renews the lease; true when this replica holds it now. */
export async function acquireLease(db: Database, replica: string, ttlMs: number): Promise<boolean> {
  const r = await db.execute(sql`
    INSERT INTO overview_sampler_lease (id, holder, expires_at) VALUES (1, ${replica}, now() + ${ttlMs} * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE overview_sampler_lease.holder = EXCLUDED.holder OR overview_sampler_lease.expires_at < now()
    RETURNING holder`);
  return rowsOf<{ holder: string }>(r).length === 1;
}

/** Minutes older than 24 h become hourly averages (whole hours only); hours older than 30 days go. */
export async function downsample(db: Database, replica: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO overview_samples (environment_id, namespace, resolution, bucket, zone, services, instances, healthy, unhealthy, disabled, sampled_by)
      SELECT environment_id, namespace, 'hour', date_trunc('hour', bucket), max(zone),
             round(avg(services)), round(avg(instances)), round(avg(healthy)), round(avg(unhealthy)), round(avg(disabled)), ${replica}
      FROM overview_samples
      WHERE resolution = 'minute' AND bucket < date_trunc('hour', now() - interval '24 hours')
      GROUP BY environment_id, namespace, date_trunc('hour', bucket)
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`DELETE FROM overview_samples WHERE resolution = 'minute' AND bucket < date_trunc('hour', now() - interval '24 hours')`);
    await tx.execute(sql`DELETE FROM overview_samples WHERE resolution = 'hour' AND bucket < now() - interval '30 days'`);
  });
}

/**
 * One round: if this replica holds the lease, every environment with a registry that has no
 * row for the current minute yet is counted and recorded. Returns the rows written, or null
 * when another replica holds the lease. An environment whose registry fails is logged and
 * tried again next round; the others are recorded.
 */
export async function sampleRound(db: Database, replica: string = REPLICA_ID, leaseMs = 90_000): Promise<number | null> {
  if (!(await acquireLease(db, replica, leaseMs))) return null;
  const [{ bucket }] = rowsOf<{ bucket: string }>(await db.execute(sql`SELECT date_trunc('minute', now())::text AS bucket`)) as [{ bucket: string }];
  const rows = (await db.select().from(environments)).filter((r) => r.registry);
  const done = new Set(
    rowsOf<{ environment_id: string }>(await db.execute(sql`SELECT DISTINCT environment_id FROM overview_samples WHERE resolution = 'minute' AND bucket = ${bucket}::timestamptz`)).map((r) => r.environment_id),
  );
  let written = 0;
  for (const row of rows) {
    if (done.has(row.id)) continue;
    try {
      const counted = await Promise.all(namespacesOf(row).map(async (ns) => ({ ns, c: await countNamespace(row, ns) })));
      for (const { ns, c } of counted) {
        const r = await db.execute(sql`
          INSERT INTO overview_samples (environment_id, namespace, resolution, bucket, zone, services, instances, healthy, unhealthy, disabled, sampled_by)
          VALUES (${row.id}, ${ns}, 'minute', ${bucket}::timestamptz, ${zoneOf(row)}, ${c.services}, ${c.instances}, ${c.healthy}, ${c.unhealthy}, ${c.disabled}, ${replica})
          ON CONFLICT DO NOTHING RETURNING 1`);
        written += rowsOf(r).length;
      }
    } catch (e) {
      logger.warn("overview sampler: environment not sampled", { environment: row.name, err: e });
    }
  }
  // Objects with validation errors, for the same minute, under the same lease.
  await sampleValidation(db, replica, bucket).catch((e: unknown) => logger.warn("overview sampler: validation not sampled", { err: e }));
  await downsample(db, replica);
  await downsampleValidation(db, replica);
  return written;
}

/**
 * Starts the sampler on this replica (lib/startup.ts). SWITCHYARD_OVERVIEW_TICK_MS: how often it
 * looks (tests). SWITCHYARD_OVERVIEW_SAMPLER=off: this replica never samples (a replica that must
 * not read the registries on its own, or a test counting every registry request).
 */
export function startOverviewSampler(db: Database): void {
  if (process.env.SWITCHYARD_OVERVIEW_SAMPLER === "off") {
    logger.info("overview sampler off on this replica (SWITCHYARD_OVERVIEW_SAMPLER=off)");
    return;
  }
  const tick = Number(process.env.SWITCHYARD_OVERVIEW_TICK_MS) > 0 ? Number(process.env.SWITCHYARD_OVERVIEW_TICK_MS) : 15_000;
  const lease = Math.max(3 * tick, 20_000);
  let running = false;
  const round = () => {
    if (running) return;
    running = true;
    sampleRound(db, REPLICA_ID, lease)
      .catch((e: unknown) => logger.error("overview sampler failed", { err: e }))
      .finally(() => {
        running = false;
      });
  };
  setTimeout(round, 1_000).unref();
  setInterval(round, tick).unref();
}
