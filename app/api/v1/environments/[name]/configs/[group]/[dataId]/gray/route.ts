// GET|POST /api/v1/environments/{name}/configs/{group}/{dataId}/gray?namespace= – gray status: listeners and the md5 each holds, "n of m on gray" (config.read) | start a gray release of a draft by rule (config.gray, tier=prod: operator)
import { ConfigKeyInput } from "@/lib/configs/configs";
import { getGrayStatus } from "@/lib/configs/gray";
import { startGray } from "@/lib/configs/start-gray";
import { apiRoute, json, readBody, readQuery } from "@/lib/http/route";

type Params = { name: string; group: string; dataId: string };

export const GET = apiRoute<Params>({}, async (req, { actor, params }) =>
  json(await getGrayStatus(actor, params.name, readQuery(req, ConfigKeyInput, { group: params.group, dataId: params.dataId }))),
);

export const POST = apiRoute<Params>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await startGray.execute(actor, { ...body, environment: params.name, group: params.group, dataId: params.dataId }, meta), { status: 201 });
});
