// POST /api/v1/environments/{name}/mesh/validate – every mesh rule (SY-M…) over YAML or objects before they are applied; changes nothing (mesh.policy.read in scope)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { validatePolicies } from "@/lib/mesh/policies";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, params }) => {
  return json(await validatePolicies(actor, params.name, await readBody(req)));
});
