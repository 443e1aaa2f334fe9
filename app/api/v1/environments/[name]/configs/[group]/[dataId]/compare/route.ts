// GET /api/v1/environments/{name}/configs/{group}/{dataId}/compare?namespace=&otherEnvironment=&otherNamespace= – the config's formal content here and in another environment or namespace, side by side (config.read on both)
import { compareConfig, CompareInput } from "@/lib/configs/configs";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string; group: string; dataId: string }>({}, async (req, { actor, params }) =>
  json(await compareConfig(actor, params.name, readQuery(req, CompareInput, { group: params.group, dataId: params.dataId }))),
);
