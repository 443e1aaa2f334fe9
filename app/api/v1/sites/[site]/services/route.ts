// GET /api/v1/sites/{site}/services – a site's services merged across its zones
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { mergedServices, MergedServicesInput } from "@/lib/registry/zones";

export const GET = apiRoute<{ site: string }>({ permission: "service.read" }, async (req, { actor, params }) => json(await mergedServices(actor, params.site, readQuery(req, MergedServicesInput))));
