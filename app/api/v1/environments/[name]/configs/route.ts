// GET|POST /api/v1/environments/{name}/configs – a page of configs (search dataId/group contains|exact, type, gray; config.read) | create a config (201; 409 when it exists; config.publish, tier=prod: operator)
import { createConfig } from "@/lib/configs/create-config";
import { ConfigListInput, listConfigs } from "@/lib/configs/configs";
import { apiRoute, json, readBody, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await listConfigs(actor, params.name, readQuery(req, ConfigListInput))));

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await createConfig.execute(actor, { ...body, environment: params.name }, meta), { status: 201 });
});
