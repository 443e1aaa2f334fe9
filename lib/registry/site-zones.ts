/**
 * A site's zones (seed 001: one registry per availability zone). Environments that share the
 * label `site` form a site; each Nacos environment of it is one zone, named by its `zone` label
 * (else by the environment's name), in zone-name order. Namespaces map per zone: a caller who
 * names a namespace gets that namespace in every zone; a caller who names none gets each zone's
 * own first configured namespace (its `registry.namespaces[0]`, "" = public). Which zones the
 * actor may see, read and write is decided here.
 */
import "server-only";
import { asc, sql } from "drizzle-orm";
import { environments, type EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide, type Scope } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { nacosClientFor } from "@/lib/environments/connect";
import { AppError, isAppError } from "@/lib/errors";
import type { NacosClient } from "@/lib/nacos/client";
import { SiteName } from "@/lib/registry/zone-fields";

export interface Zone {
  zone: string;
  row: EnvironmentRow;
}

export function namespacesOf(row: EnvironmentRow): string[] {
  return row.registry?.kind === "nacos" && row.registry.namespaces.length ? row.registry.namespaces : [""];
}

/** The namespace read in a zone: the caller's, else the zone's own first one; ZooKeeper has none (""). */
export function namespaceIn(z: Zone, requested: string | undefined): string {
  if (z.row.registry?.kind === "zookeeper") return "";
  return requested ?? namespacesOf(z.row)[0] ?? "";
}

export function scopeOf(z: Zone, namespace: string): Scope {
  return { environment: { name: z.row.name, labels: z.row.labels }, namespace: namespace || "public" };
}

export function canSee(actor: Actor, row: EnvironmentRow): boolean {
  return decide(actor.grants, "environment.read", { environment: { name: row.name, labels: row.labels } });
}

/** Zones in a fixed order; a zone label used twice in a site falls back to environment names. */
export function toZones(rows: EnvironmentRow[]): Zone[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.labels.zone || r.name, (counts.get(r.labels.zone || r.name) ?? 0) + 1);
  return rows
    .map((row) => ({ zone: (counts.get(row.labels.zone || row.name) ?? 0) > 1 ? row.name : row.labels.zone || row.name, row }))
    .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : a.row.name < b.row.name ? -1 : 1));
}

/**
 * Every zone of a site, visible to the actor or not (for the "every zone" check): Nacos
 * environments, and with `withZookeeper` ZooKeeper ones too (read-only zones: the zones view
 * shows them; "disable everywhere" writes Nacos only and is not offered where they take part).
 */
export async function allZones(site: string, options: { withZookeeper?: boolean } = {}): Promise<Zone[]> {
  const rows = await (await getDb())
    .select()
    .from(environments)
    .where(sql`${environments.labels} ->> 'site' = ${site}`)
    .orderBy(asc(environments.name));
  return toZones(rows.filter((r) => r.registry?.kind === "nacos" || (options.withZookeeper === true && r.registry?.kind === "zookeeper")));
}

/** The site's zones the actor may see; a site with none of them does not exist for the actor. */
export async function resolveSite(actor: Actor, site: string, options: { withZookeeper?: boolean } = {}): Promise<{ all: Zone[]; visible: Zone[] }> {
  const parsed = SiteName.safeParse(site);
  if (!parsed.success) throw new AppError("VALIDATION", "bad site name", { fields: [{ field: "site", message: parsed.error.issues[0]!.message }] });
  const all = await allZones(parsed.data, options);
  const visible = all.filter((z) => canSee(actor, z.row));
  if (!visible.length) throw new AppError("NOT_FOUND", `site ${site} not visible`, { userMessage: `Site ${site} was not found.` });
  return { all, visible };
}

export function clientOf(z: Zone): NacosClient {
  const c = nacosClientFor(z.row);
  if (!c) throw new AppError("INTERNAL", `zone ${z.zone} has no Nacos registry`);
  return c;
}

/** A zone's failure in plain words, for the per-zone status (never a stack or internal message). */
export function userMessageOf(e: unknown): string {
  return isAppError(e) ? e.userMessage : "Unexpected error; see the server log.";
}

/** The zones whose services the actor may read in the chosen namespace mapping. */
export function readableZones(actor: Actor, site: string, visible: Zone[], requested: string | undefined): Array<{ z: Zone; namespace: string }> {
  const readable = visible.map((z) => ({ z, namespace: namespaceIn(z, requested) })).filter(({ z, namespace }) => decide(actor.grants, "service.read", scopeOf(z, namespace)));
  if (!readable.length) throw new AppError("NOT_FOUND", `no readable zone of site ${site}`, { userMessage: `Site ${site} was not found.` });
  return readable;
}

/** Whether the actor may change instances in every zone of the site, hidden zones included. */
export function writableEverywhere(actor: Actor, all: Zone[], requested: string | undefined): boolean {
  return all.every((z) => canSee(actor, z.row) && decide(actor.grants, "service.instance.write", scopeOf(z, namespaceIn(z, requested))));
}
