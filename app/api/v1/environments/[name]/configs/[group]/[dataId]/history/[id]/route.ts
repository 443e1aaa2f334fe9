// GET /api/v1/environments/{name}/configs/{group}/{dataId}/history/{id}?namespace= – one history record with its content (config.read)
import { getConfigHistoryRecord, HistoryRecordInput } from "@/lib/configs/configs";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string; group: string; dataId: string; id: string }>({}, async (req, { actor, params }) =>
  json(await getConfigHistoryRecord(actor, params.name, readQuery(req, HistoryRecordInput, { group: params.group, dataId: params.dataId, id: params.id }))),
);
