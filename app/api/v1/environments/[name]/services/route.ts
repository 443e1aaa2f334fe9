// GET /api/v1/environments/{name}/services – a page of registry services with instance counts (service.read in scope)
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";
import { getService, listServices, ServiceKeyInput, ServiceListInput } from "@/lib/registry/services";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  if (query.serviceName) {
    const key = ServiceKeyInput.safeParse(query);
    if (!key.success) throw zodToAppError(key.error);
    return json(await getService(actor, params.name, key.data));
  }
  const parsed = ServiceListInput.safeParse(query);
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await listServices(actor, params.name, parsed.data));
});
