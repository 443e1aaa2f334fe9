/**
 * The environment the gateway pages show: the header's choice (cookie `switchyard.env`) when it
 * has a Kubernetes connection, else the first visible one that has; and whether the actor may
 * change gateway objects somewhere in it (the pages hide write controls otherwise; the API
 * decides per namespace anyway).
 */
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { listEnvironments, type EnvironmentView } from "@/lib/environments/environments";

export async function gatewayPageEnvironment(actor: Actor, chosen: string | undefined): Promise<{ env: EnvironmentView | undefined; canWrite: boolean; canRead: boolean }> {
  const visible = (await listEnvironments(actor)).filter((e) => e.kubernetes !== null);
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  const scope = env ? { environment: { name: env.name, labels: env.labels } } : undefined;
  return { env, canRead: Boolean(scope && decide(actor.grants, "gateway.route.read", scope)), canWrite: Boolean(scope && decide(actor.grants, "gateway.route.write", scope)) };
}
