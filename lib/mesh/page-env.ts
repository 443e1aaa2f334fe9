/**
 * The environment the mesh pages show: the header's choice (cookie `switchyard.env`) when it has
 * a Kubernetes connection, else the first visible one that has; and whether the actor may change
 * mesh policies in it (pages hide write controls otherwise; the API decides per namespace anyway,
 * developers never in tier=prod).
 */
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { listEnvironments, type EnvironmentView } from "@/lib/environments/environments";
import { meshWriteRefusal } from "./write-scope";

export async function meshPageEnvironment(actor: Actor, chosen: string | undefined): Promise<{ env: EnvironmentView | undefined; canWrite: boolean }> {
  const visible = (await listEnvironments(actor)).filter((e) => e.kubernetes !== null);
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  if (!env) return { env, canWrite: false };
  const scope = { environment: { name: env.name, labels: env.labels } };
  const canWrite = decide(actor.grants, "mesh.policy.write", scope) && meshWriteRefusal(actor.grants, { ...scope, namespace: "*" }) === null;
  return { env, canWrite };
}

/** One environment by name (a page's URL), with the same facts. */
export async function meshEnvironmentByName(actor: Actor, name: string) {
  return meshPageEnvironment(actor, name).then((r) => (r.env?.name === name ? r : { env: undefined, canWrite: false }));
}
