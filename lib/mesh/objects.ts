import "server-only";
/**
 * The Mesh area's Kubernetes object flow (lib/kube-objects): the eight Istio kinds, audited as
 * mesh.policy.*, CRD-schema problems as SY-M001, the developer/tier=prod guard and the mesh
 * validation rules before every write.
 */
import { kubeObjectFlow } from "@/lib/kube-objects";
import { MESH_KINDS } from "@/lib/mesh/model/kinds";
import type { MeshObject } from "@/lib/mesh/model/validate";
import { semanticIssues, toMeshObject } from "./semantic-check";
import { meshWriteRefusal } from "./write-scope";

export const MESH = kubeObjectFlow({
  area: "mesh",
  kinds: MESH_KINDS,
  readPermission: "mesh.policy.read",
  writePermission: "mesh.policy.write",
  actions: { write: "mesh.policy.write", delete: "mesh.policy.delete", rollback: "mesh.policy.rollback" },
  schemaRuleId: "SY-M001",
  writeGuard: (actor, scope) => meshWriteRefusal(actor.grants, scope),
  async check(objects, ctx) {
    const targets = objects.map((o) => toMeshObject(o, ctx.namespace)).filter((o): o is MeshObject => o !== null);
    return (await semanticIssues(ctx.actor, ctx.row, ctx.client, ctx.namespace, targets)).issues;
  },
});
