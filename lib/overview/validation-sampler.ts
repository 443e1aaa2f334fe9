/**
 * The overview's "objects with validation errors": once a minute (inside the sampler's round,
 * so one replica at a time by its lease), per environment with a Kubernetes API, the mesh
 * objects of every namespace judged by the mesh area's own rules — the same facts
 * (lib/mesh/facts.ts) and rules (validateMeshObjects) the mesh list uses for its badges — and
 * the HTTPRoutes by the gateway's SY-G checks as each route's page runs them
 * (lib/gateway/route-issues.ts); the objects whose worst issue is an error, or a warning,
 * counted per area and namespace into PostgreSQL.
 *
 * Bounded: environments are judged a few at a time (p-limit), each within a time budget; one
 * whose API is down, or that runs over, is recorded as unknown (NULL), never as 0.
 */
import "server-only";
import pLimit from "p-limit";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { environments, type EnvironmentRow } from "@/db/schema";
import { SYSTEM_ACTOR, type Actor } from "@/lib/auth/actor";
import { k8sClientFor } from "@/lib/environments/connect";
import { isAppError } from "@/lib/errors";
import { clusterRouteIssues } from "@/lib/gateway/route-issues";
import { VALIDATION_AREAS, type ValidationArea } from "@/lib/overview/keys";
import type { K8sClient } from "@/lib/k8s/client";
import type { KubeObject } from "@/lib/k8s/schemas";
import { logger } from "@/lib/logger";
import { gatherFacts } from "@/lib/mesh/facts";
import { MESH_KINDS } from "@/lib/mesh/model/kinds";
import { badgeOf, validateMeshObjects, type MeshObject } from "@/lib/mesh/model/validate";
import { toMeshObject } from "@/lib/mesh/semantic-check";

/** Reads every environment's mesh objects and registry to judge them; writes nothing outside PostgreSQL. */
const VALIDATOR: Actor = {
  ...SYSTEM_ACTOR,
  username: "overview-validator",
  displayName: "Switchyard (overview validation sampler)",
  grants: [{ role: "viewer", environmentSelector: "*", namespacePattern: "*", via: "system", bindingId: "overview-validator" }],
};

/** Environments judged at once: each lists every Istio kind cluster-wide and reads its registry. */
const ENVIRONMENTS_AT_ONCE = 2;
const MAX_OBJECTS = 50_000;

export interface NamespaceCounts {
  errors: number;
  warnings: number;
}

function budgetMs(): number {
  const v = Number(process.env.SWITCHYARD_OVERVIEW_VALIDATION_BUDGET_MS);
  return v > 0 ? v : 20_000;
}

/** Every Istio object of the cluster, all namespaces; kinds the cluster does not serve are skipped. */
async function clusterMeshObjects(client: K8sClient): Promise<KubeObject[]> {
  const lists = await Promise.all(
    MESH_KINDS.map(async (kind) => {
      const items: KubeObject[] = [];
      let cont: string | undefined;
      try {
        do {
          const page = await client.list(kind, undefined, { limit: 500, continue: cont });
          items.push(...page.items);
          cont = page.continue;
        } while (cont && items.length < MAX_OBJECTS);
      } catch (e) {
        if (isAppError(e) && e.code === "NOT_FOUND") return [];
        throw e;
      }
      return items;
    }),
  );
  return lists.flat();
}

/**
 * Per Kubernetes namespace, the mesh objects whose badge is error, and those whose badge is
 * warning, as the mesh list (lib/mesh/policies.ts listPolicies) badges them: each namespace's
 * objects judged among themselves against the environment's facts. Namespaces with neither are
 * left out. Throws when the API server does not answer.
 */
export async function meshValidationCounts(row: EnvironmentRow, client: K8sClient): Promise<Map<string, NamespaceCounts>> {
  const live = await clusterMeshObjects(client);
  const byNamespace = new Map<string, MeshObject[]>();
  for (const o of live) {
    const ns = o.metadata.namespace ?? "default";
    const m = toMeshObject(o, ns);
    if (m) byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), m]);
  }
  // The facts once for the whole cluster: the registry and Services do not depend on the namespace.
  const { facts } = await gatherFacts(VALIDATOR, row, client, [...byNamespace.values()].flat());
  const out = new Map<string, NamespaceCounts>();
  for (const [ns, objects] of byNamespace) {
    const issues = validateMeshObjects(objects, objects, facts);
    const c: NamespaceCounts = { errors: 0, warnings: 0 };
    for (const o of objects) {
      const badge = badgeOf(issues.filter((i) => i.object?.kind === o.kind && i.object?.name === o.name));
      if (badge === "error") c.errors++;
      else if (badge === "warning") c.warnings++;
    }
    if (c.errors || c.warnings) out.set(ns, c);
  }
  return out;
}

/**
 * Per namespace, the HTTPRoutes whose worst SY-G issue is an error, and those whose worst is a
 * warning, as each route's page shows them. Namespaces with neither are left out.
 */
export async function gatewayValidationCounts(row: EnvironmentRow, client: K8sClient): Promise<Map<string, NamespaceCounts>> {
  const out = new Map<string, NamespaceCounts>();
  for (const r of await clusterRouteIssues(VALIDATOR, row, client)) {
    const badge = badgeOf(r.issues);
    if (badge === "ok") continue;
    const c = out.get(r.namespace) ?? { errors: 0, warnings: 0 };
    if (badge === "error") c.errors++;
    else c.warnings++;
    out.set(r.namespace, c);
  }
  return out;
}

type Judged = Record<ValidationArea, Map<string, NamespaceCounts> | null>;

/**
 * Both areas' counts, each null when the API is down or the environment's time budget ran out
 * (work over budget finishes unseen; the client closes once both are done).
 */
async function judgeWithinBudget(row: EnvironmentRow): Promise<Judged> {
  const client = k8sClientFor(row);
  if (!client) return { mesh: null, gateway: null };
  const works: Record<ValidationArea, Promise<Map<string, NamespaceCounts>>> = { mesh: meshValidationCounts(row, client), gateway: gatewayValidationCounts(row, client) };
  void Promise.allSettled(Object.values(works)).finally(() => client.close());
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"over">((resolve) => {
    timer = setTimeout(() => resolve("over"), budgetMs());
    timer.unref();
  });
  const judged = async (area: ValidationArea): Promise<Map<string, NamespaceCounts> | null> => {
    try {
      const r = await Promise.race([works[area], budget]);
      if (r !== "over") return r;
      works[area].catch(() => undefined);
      logger.warn("overview validation: over the time budget, recorded as unknown", { environment: row.name, area, budgetMs: budgetMs() });
    } catch (e) {
      logger.warn("overview validation: not judged, recorded as unknown", { environment: row.name, area, err: isAppError(e) ? e.message : e });
    }
    return null;
  };
  try {
    const [mesh, gateway] = await Promise.all([judged("mesh"), judged("gateway")]);
    return { mesh, gateway };
  } finally {
    clearTimeout(timer);
  }
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Judges every environment with a Kubernetes API that has no sample for `bucket` yet (the
 * current minute unless given) and records it, per area: the marker row, then one row per
 * namespace with errors or warnings — both areas in one transaction. Returns the environments recorded.
 */
export async function sampleValidation(db: Database, replica: string, bucket?: string): Promise<number> {
  const at = bucket ?? rowsOf<{ bucket: string }>(await db.execute(sql`SELECT date_trunc('minute', now())::text AS bucket`))[0]!.bucket;
  const rows = (await db.select().from(environments)).filter((r) => r.kubernetes);
  const done = new Set(
    rowsOf<{ environment_id: string }>(
      await db.execute(sql`SELECT environment_id FROM overview_validation_samples WHERE area = 'mesh' AND namespace = '' AND resolution = 'minute' AND bucket = ${at}::timestamptz`),
    ).map((r) => r.environment_id),
  );
  const limit = pLimit(ENVIRONMENTS_AT_ONCE);
  const judged = await Promise.all(rows.filter((r) => !done.has(r.id)).map((r) => limit(async () => ({ row: r, counts: await judgeWithinBudget(r) }))));
  let recorded = 0;
  for (const { row, counts } of judged) {
    await db.transaction(async (tx) => {
      for (const area of VALIDATION_AREAS) {
        const found = counts[area];
        const marker = await tx.execute(sql`
          INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by)
          VALUES (${row.id}, ${area}, '', 'minute', ${at}::timestamptz, ${found ? 0 : null}, ${found ? 0 : null}, ${replica})
          ON CONFLICT DO NOTHING RETURNING 1`);
        // Another replica recorded this minute first: keep its sample whole.
        if (rowsOf(marker).length === 0 || !found) continue;
        for (const [ns, c] of found) {
          await tx.execute(sql`
            INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by)
            VALUES (${row.id}, ${area}, ${ns}, 'minute', ${at}::timestamptz, ${c.errors}, ${c.warnings}, ${replica})
            ON CONFLICT DO NOTHING`);
        }
      }
    });
    recorded++;
  }
  return recorded;
}

/**
 * Minutes older than 24 h become one hour row each: the hour's last sample, whole (a snapshot,
 * not an average, so namespaces and unknowns stay consistent); hours older than 30 days go.
 */
export async function downsampleValidation(db: Database, replica: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by)
      SELECT s.environment_id, s.area, s.namespace, 'hour', date_trunc('hour', s.bucket), s.errors, s.warnings, ${replica}
      FROM overview_validation_samples s
      JOIN (SELECT environment_id, area, max(bucket) AS bucket FROM overview_validation_samples
            WHERE resolution = 'minute' AND bucket < date_trunc('hour', now() - interval '24 hours')
            GROUP BY environment_id, area, date_trunc('hour', bucket)) last
        ON last.environment_id = s.environment_id AND last.area = s.area AND last.bucket = s.bucket
      WHERE s.resolution = 'minute'
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`DELETE FROM overview_validation_samples WHERE resolution = 'minute' AND bucket < date_trunc('hour', now() - interval '24 hours')`);
    await tx.execute(sql`DELETE FROM overview_validation_samples WHERE resolution = 'hour' AND bucket < now() - interval '30 days'`);
  });
}
