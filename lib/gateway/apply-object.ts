import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { GATEWAY } from "@/lib/gateway/objects";

/** Creates or replaces one gateway object (Gateway, Istio Gateway, HTTPRoute, McpBridge), guarded by the resourceVersion the operator saw (409 with the live object and a diff otherwise), after the CRD schema, the SY-G checks and a server dry run; stores a revision. Who: gateway.route.write in the environment and namespace. */
export const applyObject = defineOperation({ ...GATEWAY.applyDefinition });
