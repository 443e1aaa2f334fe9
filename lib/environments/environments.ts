/**
 * Environments: admin-registered targets with their connections (issue: environments).
 * Changes are audited operations (environment.admin: create-environment.ts,
 * update-environment.ts, delete-environment.ts); reads are scoped by the caller's bindings —
 * an environment outside every grant does not exist for them (404).
 */
import "server-only";
import { asc, eq } from "drizzle-orm";
import type { DbLike } from "@/db/client";
import { environments, type EnvironmentRow, type KubernetesConnection, type RegistryConnection } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide, type Permission } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { decryptSecrets } from "@/lib/environments/crypto";
import { EnvironmentName } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { encryptionKey } from "@/lib/secret";

/** The credential key, never the session secret (docs/security.md §38). */
export function masterKey(): string {
  return encryptionKey();
}

export interface EnvironmentView {
  id: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  registry: RegistryConnection | null;
  kubernetes: Omit<KubernetesConnection, "clientCertPem"> | null;
  prometheusUrl: string | null;
  version: number;
  /** Which credentials are stored — never their values. */
  credentials: string[];
  updatedAt: string;
}

export function toView(row: EnvironmentRow): EnvironmentView {
  const credentials = row.secrets ? Object.keys(decryptSecrets(masterKey(), row.id, row.secrets)).sort() : [];
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    labels: row.labels,
    registry: row.registry,
    kubernetes: row.kubernetes ? { apiUrl: row.kubernetes.apiUrl, caPem: row.kubernetes.caPem, auth: row.kubernetes.auth } : null,
    prometheusUrl: row.prometheusUrl,
    version: row.version,
    credentials,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function byName(db: DbLike, name: string): Promise<EnvironmentRow | undefined> {
  const [row] = await db.select().from(environments).where(eq(environments.name, name)).limit(1);
  return row;
}

/** The environments the actor may see (environment.read in scope), by name. */
export async function listEnvironments(actor: Actor): Promise<EnvironmentView[]> {
  const rows = await (await getDb()).select().from(environments).orderBy(asc(environments.name));
  return rows.filter((r) => decide(actor.grants, "environment.read", { environment: { name: r.name, labels: r.labels } })).map(toView);
}

/** One environment; 404 (not 403) when it is outside the actor's scope (docs/security.md §14). */
export async function getEnvironment(actor: Actor, name: string, permission: Permission = "environment.read"): Promise<EnvironmentView> {
  return toView(await resolveEnvironmentRow(actor, name, permission));
}

export async function resolveEnvironmentRow(actor: Actor, name: string, permission: Permission): Promise<EnvironmentRow> {
  const parsed = EnvironmentName.safeParse(name);
  if (!parsed.success) throw new AppError("VALIDATION", "bad environment name", { fields: [{ field: "environment", message: parsed.error.issues[0]!.message }] });
  const row = await byName(await getDb(), parsed.data);
  const scope = row && { environment: { name: row.name, labels: row.labels } };
  if (!row || !decide(actor.grants, "environment.read", scope!)) throw new AppError("NOT_FOUND", `environment ${name} not visible`);
  if (!decide(actor.grants, permission, scope!)) throw new AppError("FORBIDDEN", `${actor.username} lacks ${permission} in ${name}`);
  return row;
}

/** Server-side only: the credentials to build a backend client. Never leaves lib/. */
export function environmentSecrets(row: EnvironmentRow): Record<string, string> {
  return decryptSecrets(masterKey(), row.id, row.secrets);
}
