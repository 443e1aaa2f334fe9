import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { MESH } from "./objects";

/** Deletes one Istio object if it is still the version the operator saw; stores a deletion revision. Who: mesh.policy.write in scope. */
export const deletePolicy = defineOperation({ ...MESH.deleteDefinition });
