// GET /api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/revisions – the object's revisions, newest first (mesh.policy.read in scope)
import { apiRoute, json } from "@/lib/http/route";
import { MESH } from "@/lib/mesh/objects";
import { PolicyRef } from "@/lib/mesh/policies";
import { zodToAppError } from "@/lib/zod-error";

export const GET = apiRoute<{ name: string; kind: string; namespace: string; object: string }>({}, async (_req, { actor, params }) => {
  const ref = PolicyRef.safeParse({ environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object });
  if (!ref.success) throw zodToAppError(ref.error);
  return json({ items: await MESH.listRevisions(actor, ref.data) });
});
