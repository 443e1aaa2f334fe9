/**
 * What the configs pages need to know before rendering: the environment shown (the header's
 * choice among Nacos environments, or the URL's), and whether the actor may publish and gray
 * there — the same decisions the API takes (docs/security.md §46), so a viewer sees no edit
 * control. The API decides again on every call.
 */
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { mayPublishTo } from "@/lib/configs/access";
import { listEnvironments, type EnvironmentView } from "@/lib/environments/environments";

export async function configEnvironments(actor: Actor): Promise<EnvironmentView[]> {
  return (await listEnvironments(actor)).filter((e) => e.registry?.kind === "nacos");
}

export function configRights(actor: Actor, env: Pick<EnvironmentView, "name" | "labels">, namespace: string): { canRead: boolean; canPublish: boolean; canGray: boolean } {
  const scope = { environment: { name: env.name, labels: env.labels }, namespace: namespace || "public" };
  const publish = decide(actor.grants, "config.publish", scope) && mayPublishTo(actor, scope);
  return {
    canRead: decide(actor.grants, "config.read", scope),
    canPublish: publish,
    canGray: publish && decide(actor.grants, "config.gray", scope),
  };
}
