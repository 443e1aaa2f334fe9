/**
 * Environments: admin-registered targets with their connections (issue: environments).
 * Changes are audited operations (environment.admin); reads are scoped by the caller's
 * bindings — an environment outside every grant does not exist for them (404).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import type { DbLike } from "@/db/client";
import { environments, type EnvironmentRow, type KubernetesConnection, type RegistryConnection } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide, type Permission } from "@/lib/auth/rbac";
import { decryptSecrets, encryptSecrets } from "@/lib/environments/crypto";
import { validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";
import { EnvironmentInput, EnvironmentName, UpdateEnvironmentInput } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";
import { encryptionKey } from "@/lib/secret";

/** The credential key, never the session secret (docs/security.md §38). */
function masterKey(): string {
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

const NACOS_SECRETS = ["nacosPassword", "nacosAccessToken"] as const;
const KUBERNETES_SECRETS = ["k8sClientCertPem", "k8sClientKeyPem", "k8sBearerToken"] as const;

/** host:port of an endpoint URL (default ports elided, host lower-cased by URL). */
function hostOf(url: string): string {
  return new URL(url).host;
}

/**
 * Stored credentials belong to the host they were entered for: when an endpoint moves to
 * another host (host:port), they are dropped and must be entered again, or the old host's
 * password would be sent to the new one (docs/security.md 39). Returns
 * whether the backend had any stored.
 */
function forgetOnMove(secrets: Record<string, string>, keys: readonly string[], before: string | undefined, after: string): boolean {
  if (before === undefined || hostOf(before) === hostOf(after)) return false;
  const had = keys.some((k) => k in secrets);
  for (const k of keys) delete secrets[k];
  return had;
}

function reenter(field: string, before: string, after: string): AppError {
  return new AppError("VALIDATION", `${field}: endpoint moved from ${hostOf(before)} to ${hostOf(after)} without new credentials`, {
    fields: [{ field, message: "re-enter the credentials: the endpoint host changed" }],
    userMessage: `The endpoint now points at ${hostOf(after)} instead of ${hostOf(before)}. Enter its credentials again: the stored ones are never sent to another host.`,
  });
}

interface PreviousConnections {
  registry: RegistryConnection | null;
  kubernetes: KubernetesConnection | null;
}

/** Validates endpoints and splits the input into stored connection facts and secrets. */
async function prepare(input: EnvironmentInput, previousSecrets: Record<string, string>, previous?: PreviousConnections) {
  const secrets: Record<string, string> = { ...previousSecrets };
  let registry: RegistryConnection | null = null;
  if (input.registry?.kind === "nacos") {
    const r = input.registry;
    registry = { kind: "nacos", url: await validateUrl("registry.url", r.url, ["http:", "https:"]), username: r.username || undefined, namespaces: r.namespaces };
    const before = previous?.registry?.kind === "nacos" ? previous.registry.url : undefined;
    const hadPassword = "nacosPassword" in secrets;
    if (forgetOnMove(secrets, NACOS_SECRETS, before, registry.url) && !r.password && !r.accessToken) {
      throw reenter(hadPassword ? "registry.password" : "registry.accessToken", before!, registry.url);
    }
    if (r.password) secrets.nacosPassword = r.password;
    if (r.accessToken) secrets.nacosAccessToken = r.accessToken;
  } else if (input.registry?.kind === "zookeeper") {
    const r = input.registry;
    registry = { kind: "zookeeper", hosts: await validateZookeeperHosts("registry.hosts", r.hosts), layout: r.layout, root: r.root };
  }
  if (input.registry?.kind !== "nacos") {
    for (const k of NACOS_SECRETS) delete secrets[k];
  }
  let kubernetes: KubernetesConnection | null = null;
  if (input.kubernetes) {
    const k = input.kubernetes;
    kubernetes = { apiUrl: await validateUrl("kubernetes.apiUrl", k.apiUrl, ["https:"]), caPem: k.caPem || undefined, auth: k.auth };
    const before = previous?.kubernetes?.apiUrl;
    if (forgetOnMove(secrets, KUBERNETES_SECRETS, before, kubernetes.apiUrl)) {
      if (k.auth === "client-certificate" && !(k.clientCertPem && k.clientKeyPem)) {
        throw reenter(k.clientKeyPem ? "kubernetes.clientCertPem" : "kubernetes.clientKeyPem", before!, kubernetes.apiUrl);
      }
      if (k.auth === "bearer-token" && !k.bearerToken) throw reenter("kubernetes.bearerToken", before!, kubernetes.apiUrl);
    }
    if (k.auth === "client-certificate") {
      if (k.clientCertPem) secrets.k8sClientCertPem = k.clientCertPem;
      if (k.clientKeyPem) secrets.k8sClientKeyPem = k.clientKeyPem;
      delete secrets.k8sBearerToken;
      if (!secrets.k8sClientCertPem || !secrets.k8sClientKeyPem) {
        throw new AppError("VALIDATION", "client certificate missing", { fields: [{ field: "kubernetes.clientKeyPem", message: "a client certificate and key are required" }] });
      }
    } else {
      if (k.bearerToken) secrets.k8sBearerToken = k.bearerToken;
      delete secrets.k8sClientCertPem;
      delete secrets.k8sClientKeyPem;
      if (!secrets.k8sBearerToken) throw new AppError("VALIDATION", "token missing", { fields: [{ field: "kubernetes.bearerToken", message: "required" }] });
    }
  } else {
    for (const k of KUBERNETES_SECRETS) delete secrets[k];
  }
  const prometheusUrl = input.prometheusUrl ? await validateUrl("prometheusUrl", input.prometheusUrl, ["http:", "https:"]) : null;
  return { registry, kubernetes, prometheusUrl, secrets };
}

async function byName(db: DbLike, name: string): Promise<EnvironmentRow | undefined> {
  const [row] = await db.select().from(environments).where(eq(environments.name, name)).limit(1);
  return row;
}

/** Registers an environment. Admins only; audited without any credential. */
export const createEnvironment = defineOperation({
  action: "environment.create",
  permission: "environment.admin",
  input: EnvironmentInput,
  transactional: true,
  target: (i) => ({ kind: "environment", name: i.name, environment: { name: i.name, labels: i.labels } }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    if (await byName(tx, input.name)) throw new AppError("CONFLICT", "environment exists", { fields: [{ field: "name", message: "already exists" }], userMessage: `Environment ${input.name} already exists.` });
    const id = randomUUID();
    const p = await prepare(input, {});
    const [row] = await tx
      .insert(environments)
      .values({ id, name: input.name, description: input.description, labels: input.labels, registry: p.registry, kubernetes: p.kubernetes, prometheusUrl: p.prometheusUrl, secrets: Object.keys(p.secrets).length ? encryptSecrets(masterKey(), id, p.secrets) : null })
      .returning();
    const view = toView(row!);
    return { result: view, after: view, versionAfter: String(view.version) };
  },
});

/** Changes an environment; `expectedVersion` guards against overwriting someone else's edit. */
export const updateEnvironment = defineOperation({
  action: "environment.update",
  permission: "environment.admin",
  input: UpdateEnvironmentInput,
  transactional: true,
  target: (i) => ({ kind: "environment", name: i.name, environment: { name: i.name, labels: i.labels } }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const current = await byName(tx, input.name);
    if (!current) throw new AppError("NOT_FOUND", `environment ${input.name} not found`);
    if (current.version !== input.expectedVersion) {
      throw new AppError("CONFLICT", "stale version", { details: { currentVersion: current.version }, userMessage: "Someone changed this environment since you loaded it. Reload to see their change." });
    }
    const before = toView(current);
    const p = await prepare(input, decryptSecrets(masterKey(), current.id, current.secrets), current);
    const [row] = await tx
      .update(environments)
      .set({ description: input.description, labels: input.labels, registry: p.registry, kubernetes: p.kubernetes, prometheusUrl: p.prometheusUrl, secrets: Object.keys(p.secrets).length ? encryptSecrets(masterKey(), current.id, p.secrets) : null, version: current.version + 1, updatedAt: new Date() })
      .where(eq(environments.id, current.id))
      .returning();
    const after = toView(row!);
    return { result: after, before, after, versionBefore: String(before.version), versionAfter: String(after.version) };
  },
});

export const DeleteEnvironmentInput = z.object({ name: EnvironmentName, expectedVersion: z.number().int().positive() }).strict();

/** Removes an environment and its stored credentials. Admins only; audited. */
export const deleteEnvironment = defineOperation({
  action: "environment.delete",
  permission: "environment.admin",
  input: DeleteEnvironmentInput,
  transactional: true,
  target: (i) => ({ kind: "environment", name: i.name }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const current = await byName(tx, input.name);
    if (!current) throw new AppError("NOT_FOUND", `environment ${input.name} not found`);
    if (current.version !== input.expectedVersion) throw new AppError("CONFLICT", "stale version", { details: { currentVersion: current.version } });
    await tx.delete(environments).where(eq(environments.id, current.id));
    return { result: { name: input.name }, before: toView(current) };
  },
});

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
