import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { MESH } from "./objects";

/** Creates or replaces one Istio object, guarded by the resourceVersion the operator saw (409 with the live object and a diff otherwise), after schema and mesh validation and a server dry run; stores a revision. Who: mesh.policy.write in the environment and Kubernetes namespace (developers not in tier=prod). */
export const applyPolicy = defineOperation({ ...MESH.applyDefinition });
