// POST /api/v1/environments/{name}/mesh/apply – apply several Istio objects of one namespace in a fixed order (wizards); a later failure reverts the earlier writes: 200 `partial` with what was reverted (audited)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { applyPolicies } from "@/lib/mesh/apply-policies";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await applyPolicies.execute(actor, { ...body, environment: params.name }, meta));
});
