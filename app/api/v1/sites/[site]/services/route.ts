// GET /api/v1/sites/{site}/services – a site's services merged across its zones, or one service's instances aligned by ip:port when serviceName is given
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";
import { mergedService, MergedServiceInput, mergedServices, MergedServicesInput } from "@/lib/registry/zones";

export const GET = apiRoute<{ site: string }>({ permission: "service.read" }, async (req, { actor, params }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  if (query.serviceName) {
    const key = MergedServiceInput.safeParse(query);
    if (!key.success) throw zodToAppError(key.error);
    return json(await mergedService(actor, params.site, key.data));
  }
  const parsed = MergedServicesInput.safeParse(query);
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await mergedServices(actor, params.site, parsed.data));
});
