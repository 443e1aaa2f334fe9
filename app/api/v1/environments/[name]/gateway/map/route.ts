// GET /api/v1/environments/{name}/gateway/map – per gateway: hostnames → matches → backends with weights, drained zones and canary step
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/route";
import { parseQuery } from "@/lib/gateway/query";
import { routeMap } from "@/lib/gateway/reads";

const MapInput = z.object({ namespace: z.string().max(63).optional(), search: z.string().max(200).optional() }).strict();

export const GET = apiRoute<{ name: string }>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  return json(await routeMap(actor, params.name, parseQuery(req, MapInput)));
});
