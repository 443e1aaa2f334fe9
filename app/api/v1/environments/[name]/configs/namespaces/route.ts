// GET /api/v1/environments/{name}/configs/namespaces – the Nacos namespaces whose configs the actor may read
import { listConfigNamespaces } from "@/lib/configs/configs";
import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute<{ name: string }>({}, async (_req, { actor, params }) => json(await listConfigNamespaces(actor, params.name)));
