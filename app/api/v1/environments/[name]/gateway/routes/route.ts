// GET /api/v1/environments/{name}/gateway/routes – HTTPRoutes, GRPCRoutes (read-only) and gateway-bound VirtualServices in one list marked by type; filter by namespace, type, gateway, search; paged
import { apiRoute, json } from "@/lib/http/route";
import { parseQuery } from "@/lib/gateway/query";
import { listRoutes, RouteListInput } from "@/lib/gateway/reads";

export const GET = apiRoute<{ name: string }>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  return json(await listRoutes(actor, params.name, parseQuery(req, RouteListInput)));
});
