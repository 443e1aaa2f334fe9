// POST /api/v1/environments/{name}/mesh/fault – write a VirtualService carrying a fault (guarded by the resourceVersion seen), with an optional deadline after which the console reverts it once, as the system actor (audited)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { injectFault } from "@/lib/mesh/inject-fault";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await injectFault.execute(actor, { ...body, environment: params.name }, meta));
});
