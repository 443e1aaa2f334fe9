// GET|PUT|DELETE /api/v1/environments/{name}/mesh/{kind}/{namespace}/{object} – one Istio object (status, issues, references, revisions); create or replace it guarded by the resourceVersion seen (409 with the live object and a diff, 422 with issues at path and line); delete it (?resourceVersion=)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { applyPolicy } from "@/lib/mesh/apply-policy";
import { deletePolicy } from "@/lib/mesh/delete-policy";
import { getPolicy, PolicyRef } from "@/lib/mesh/policies";
import { zodToAppError } from "@/lib/zod-error";

type Params = { name: string; kind: string; namespace: string; object: string };

export const GET = apiRoute<Params>({}, async (_req, { actor, params }) => {
  const ref = PolicyRef.safeParse({ environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object });
  if (!ref.success) throw zodToAppError(ref.error);
  return json(await getPolicy(actor, ref.data));
});

export const PUT = apiRoute<Params>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const result = await applyPolicy.execute(actor, { ...body, environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object }, meta);
  return json(result, { status: result.created ? 201 : 200 });
});

export const DELETE = apiRoute<Params>({}, async (req, { actor, meta, params }) => {
  const resourceVersion = new URL(req.url).searchParams.get("resourceVersion") ?? undefined;
  return json(await deletePolicy.execute(actor, { environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object, resourceVersion }, meta));
});
