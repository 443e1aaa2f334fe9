/**
 * Who may write mesh policies where, beyond the permission matrix (issue #14 item 6): namespace
 * globs of role bindings apply to Kubernetes namespaces (the scope's namespace is the object's
 * Kubernetes namespace), and a developer never writes in an environment labelled tier=prod —
 * even when a binding's selector would reach it. Pure.
 */
import { grantCovers, roleAllows, type Grant, type Scope } from "@/lib/auth/rbac";

export const DEVELOPER_PROD_REFUSAL = "Developers change mesh policies only outside tier=prod environments; ask an operator.";

/** The refusal when every grant that would allow this write is a developer's and the environment is tier=prod. */
export function meshWriteRefusal(grants: readonly Grant[], scope: Required<Scope>): string | null {
  if (scope.environment.labels.tier !== "prod") return null;
  const writers = grants.filter((g) => !g.readOnly && grantCovers(g, scope) && (roleAllows(g.role, "mesh.policy.write") || g.role === "developer"));
  if (writers.length > 0 && writers.every((g) => g.role === "developer")) return DEVELOPER_PROD_REFUSAL;
  return null;
}
