import "server-only";
import { defineOperation } from "@/lib/ops/define-operation";
import { GATEWAY } from "@/lib/gateway/objects";

/** Writes an earlier revision of a gateway object back as a new guarded write (never retried on conflict). Who: gateway.route.write in the environment and namespace. */
export const rollbackObject = defineOperation({ ...GATEWAY.rollbackDefinition });
