// GET /api/v1/sites/{site}/services/{group}/{service}?namespace= – one service in every zone of the site, its instances aligned by ip:port
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { mergedService, MergedServiceInput } from "@/lib/registry/zones";

export const GET = apiRoute<{ site: string; group: string; service: string }>({ permission: "service.read" }, async (req, { actor, params }) =>
  json(await mergedService(actor, params.site, readQuery(req, MergedServiceInput, { group: params.group, serviceName: params.service }))),
);
