import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { MESH } from "./objects";

/** Applies several Istio objects of one namespace in a fixed order (a wizard's DestinationRule then VirtualService); a later failure reverts the earlier writes and is audited partial. Who: mesh.policy.write in scope. */
export const applyPolicies = defineOperation({ ...MESH.applyManyDefinition });
