// GET /api/v1/environments/{name}/configs/{group}/{dataId}/gray/preview?namespace=&kind=&ips=|service=&selector=|percentage=|count= – the IPs a gray rule resolves to now, shown before confirming (config.read; service.read for service rules)
import { GrayPreviewQuery, previewGrayRule } from "@/lib/configs/gray";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, params }) =>
  json(await previewGrayRule(actor, params.name, readQuery(req, GrayPreviewQuery, { group: params.group, dataId: params.dataId }))),
);
