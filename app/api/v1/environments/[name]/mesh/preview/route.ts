// POST /api/v1/environments/{name}/mesh/preview – what applying one object would do: issues, diff against the live object, the API server's dry-run verdict; stores nothing (mesh.policy.read in scope)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { previewPolicy } from "@/lib/mesh/preview-policy";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, params }) => {
  const body = await readBody(req);
  return json(await previewPolicy(actor, { ...body, environment: params.name }));
});
