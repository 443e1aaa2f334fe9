// POST /api/v1/environments/{name}/configs/{group}/{dataId}/gray/promote – CAS-guarded full publish of the gray content, stop the beta, read both md5s back (config.publish, tier=prod: operator; 409 with the versions)
import { promoteGray } from "@/lib/configs/promote-gray";
import { withConflictBody } from "@/lib/configs/publishing";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  try {
    return json(await promoteGray.execute(actor, { ...body, environment: params.name, group: params.group, dataId: params.dataId }, meta));
  } catch (e) {
    throw withConflictBody(e);
  }
});
