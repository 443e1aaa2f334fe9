// GET /api/v1/environments/{name}/services – a page of registry services with instance counts (service.read in scope)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { listServices, ServiceListInput } from "@/lib/registry/services";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await listServices(actor, params.name, readQuery(req, ServiceListInput))));
