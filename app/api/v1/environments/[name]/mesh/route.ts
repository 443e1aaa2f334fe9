// GET /api/v1/environments/{name}/mesh – the Istio objects of a Kubernetes namespace with a validation badge each (?namespace=&kind=&host=&badge=; mesh.policy.read in scope)
import { apiRoute, json } from "@/lib/http/route";
import { listPolicies, PolicyListInput } from "@/lib/mesh/policies";
import { zodToAppError } from "@/lib/zod-error";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => {
  const parsed = PolicyListInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await listPolicies(actor, params.name, parsed.data));
});
