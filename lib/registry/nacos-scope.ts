/**
 * A Nacos environment and namespace as the actor may use them: the environment resolved in
 * scope (404 outside it), the permission checked on the namespace, and its Nacos client.
 * Shared by the service reads (services.ts) and instance changes (update-instance.ts).
 */
import "server-only";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { nacosClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";

export async function registryFor(actor: Actor, environment: string | EnvironmentRow, namespace: string, permission: "service.read" | "service.instance.write") {
  const row = typeof environment === "string" ? await resolveEnvironmentRow(actor, environment, "environment.read") : environment;
  const scope = { environment: { name: row.name, labels: row.labels }, namespace: namespace || "public" };
  if (!decide(actor.grants, "service.read", scope)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible in ${row.name}`);
  if (!decide(actor.grants, permission, scope)) throw new AppError("FORBIDDEN", `${actor.username} lacks ${permission}`);
  const client = nacosClientFor(row);
  if (row.registry?.kind === "zookeeper") throw new AppError("VALIDATION", "not a Nacos environment", { fields: [{ field: "environment", message: "instance changes are supported for Nacos registries" }], userMessage: "Instance changes are supported for Nacos registries." });
  if (!client) throw new AppError("VALIDATION", "not a Nacos environment", { fields: [{ field: "environment", message: "this environment has no Nacos registry" }] });
  return { row, client, scope };
}
