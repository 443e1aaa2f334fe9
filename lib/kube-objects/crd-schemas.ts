import "server-only";
/**
 * The OpenAPI schemas the cluster validates custom resources with, read from its
 * CustomResourceDefinitions and cached per environment (and per stored connection: a changed
 * environment reads them afresh) for a few minutes.
 */
import { LRUCache } from "lru-cache";
import type { EnvironmentRow } from "@/db/schema";
import type { K8sClient } from "@/lib/k8s/client";
import type { ResourceKind } from "@/lib/k8s/resources";
import type { OpenApiSchema } from "@/lib/kube-objects/model/openapi-validate";

const TTL_MS = 5 * 60_000;

type Box = { schema: OpenApiSchema | null };
const cache = new LRUCache<string, Box, () => Promise<Box>>({
  max: 2_000,
  ttl: TTL_MS,
  fetchMethod: async (_key, _stale, { context }) => context(),
});

/** The schema of `kind` in this environment's cluster; null when the CRD is not installed. */
export async function crdSchemaFor(row: EnvironmentRow, client: K8sClient, kind: ResourceKind): Promise<OpenApiSchema | null> {
  const key = `${row.id}:${row.version}:${kind}`;
  const box = await cache.fetch(key, { context: async () => ({ schema: await client.crdSchema(kind) }) });
  return box!.schema;
}

/** Forget an environment's schemas (after a CRD upgrade, or in tests). */
export function forgetCrdSchemas(environmentId?: string): void {
  for (const k of [...cache.keys()]) if (!environmentId || k.startsWith(`${environmentId}:`)) cache.delete(k);
}
