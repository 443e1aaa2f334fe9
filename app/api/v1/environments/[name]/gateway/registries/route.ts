// GET|PUT /api/v1/environments/{name}/gateway/registries – the Higress McpBridge registries (credentials never shown) and the site's zones; PUT adds zones' registries / removes registries (audited, guarded by resourceVersion)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { parseQuery } from "@/lib/gateway/query";
import { getRegistries, RegistriesInput } from "@/lib/gateway/reads";
import { updateRegistries } from "@/lib/gateway/update-registries";

export const GET = apiRoute<{ name: string }>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  return json(await getRegistries(actor, params.name, parseQuery(req, RegistriesInput)));
});

export const PUT = apiRoute<{ name: string }>({ permission: "gateway.route.write", deniedAction: { action: "gateway.route.write", targetKind: "McpBridge" } }, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await updateRegistries.execute(actor, { ...body, environment: params.name }, meta));
});
