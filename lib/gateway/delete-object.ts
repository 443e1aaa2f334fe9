import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { GATEWAY } from "@/lib/gateway/objects";

/** Deletes one gateway object, only if it is still the version the operator saw; stores a revision. Who: gateway.route.write in the environment and namespace. */
export const deleteObject = defineOperation({ ...GATEWAY.deleteDefinition });
