import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { MESH } from "./objects";

/** Puts a stored revision of an Istio object back as a new guarded write (audited mesh.policy.rollback). Who: mesh.policy.write in scope. */
export const rollbackPolicy = defineOperation({ ...MESH.rollbackDefinition });
