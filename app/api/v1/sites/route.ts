// GET /api/v1/sites – the sites (environments sharing a `site` label) the caller can see, with their zones
import { apiRoute, json } from "@/lib/http/route";
import { listSites } from "@/lib/registry/zones";

export const GET = apiRoute({ permission: "service.read" }, async (_req, { actor }) => json(await listSites(actor)));
