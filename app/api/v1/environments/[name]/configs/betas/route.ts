// GET /api/v1/environments/{name}/configs/betas?namespace=&keys=group/dataId,… – which of these configs (one list page, ≤ 100) Nacos serves a beta (gray) of now, whoever started it (config.read)
import { configBetas, ConfigBetasInput } from "@/lib/configs/configs";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await configBetas(actor, params.name, readQuery(req, ConfigBetasInput))));
