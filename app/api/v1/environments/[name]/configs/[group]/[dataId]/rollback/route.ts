// POST /api/v1/environments/{name}/configs/{group}/{dataId}/rollback – publish a history record's content as a new version, CAS-guarded by casMd5 (409 with the versions; config.publish, tier=prod: operator)
import { rollbackConfig } from "@/lib/configs/rollback-config";
import { withConflictBody } from "@/lib/configs/publishing";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  try {
    return json(await rollbackConfig.execute(actor, { ...body, environment: params.name, group: params.group, dataId: params.dataId }, meta));
  } catch (e) {
    throw withConflictBody(e);
  }
});
