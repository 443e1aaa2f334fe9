// POST /api/v1/environments/{name}/configs/{group}/{dataId}/gray/abort – stop the beta: the gray instances read the formal content again (config.gray)
import { abortGray } from "@/lib/configs/abort-gray";
import { withConflictBody } from "@/lib/configs/publishing";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  try {
    return json(await abortGray.execute(actor, { ...body, environment: params.name, group: params.group, dataId: params.dataId }, meta));
  } catch (e) {
    throw withConflictBody(e);
  }
});
