// POST /api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/rollback – put a stored revision back as a new guarded write ({ revision, resourceVersion }; audited mesh.policy.rollback)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { rollbackPolicy } from "@/lib/mesh/rollback-policy";

export const POST = apiRoute<{ name: string; kind: string; namespace: string; object: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await rollbackPolicy.execute(actor, { ...body, environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object }, meta));
});
