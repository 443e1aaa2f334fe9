// POST /api/v1/environments/{name}/configs/{group}/{dataId}/gray/widen – re-resolve a wider rule and publish the beta to the new IPs (config.gray, tier=prod: operator)
import { widenGray } from "@/lib/configs/widen-gray";
import { withConflictBody } from "@/lib/configs/publishing";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  try {
    return json(await widenGray.execute(actor, { ...body, environment: params.name, group: params.group, dataId: params.dataId }, meta));
  } catch (e) {
    throw withConflictBody(e);
  }
});
