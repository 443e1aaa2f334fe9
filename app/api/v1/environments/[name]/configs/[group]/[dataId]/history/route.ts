// GET /api/v1/environments/{name}/configs/{group}/{dataId}/history?namespace=&page= – the config's history, newest first: operator, source IP, time (config.read)
import { HistoryListInput, listConfigHistory } from "@/lib/configs/configs";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, params }) =>
  json(await listConfigHistory(actor, params.name, readQuery(req, HistoryListInput, { group: params.group, dataId: params.dataId }))),
);
