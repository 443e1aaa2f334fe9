// GET /api/v1/environments/{name}/services/{group}/{service}?namespace= – one service: instances of every cluster, subscribers (Nacos) or split provider and consumer URLs (Dubbo) (service.read in scope)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { getService, ServiceKeyInput } from "@/lib/registry/services";

export const GET = apiRoute<{ name: string; group: string; service: string }>({}, async (req, { actor, params }) =>
  json(await getService(actor, params.name, readQuery(req, ServiceKeyInput, { group: params.group, serviceName: params.service }))),
);
