import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/rbac";

/** An actor holding one role with the given scope (default: everywhere). */
export function actorWithRole(role: Role | null, scope: { env?: string; ns?: string } = {}, id: string = randomUUID()): Actor {
  return {
    id,
    username: role ? `${role}-user` : "nobody",
    displayName: role ? `Test ${role}` : "Nobody",
    source: "local",
    grants: role
      ? [{ role, environmentSelector: scope.env ?? "*", namespacePattern: scope.ns ?? "*", via: "user", bindingId: randomUUID() }]
      : [],
  };
}

export function meta(): { requestId: string; clientIp: string; userAgent: string } {
  return { requestId: randomUUID(), clientIp: "127.0.0.1", userAgent: "vitest" };
}
