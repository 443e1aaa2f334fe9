// GET /api/v1/environments/{name}/gateway/gateways – Gateway API and Istio Gateways of the environment's cluster (listeners, hostnames, TLS references, conditions)
import { apiRoute, json } from "@/lib/http/route";
import { parseQuery } from "@/lib/gateway/query";
import { ListInput, listGateways } from "@/lib/gateway/reads";

export const GET = apiRoute<{ name: string }>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  return json({ items: await listGateways(actor, params.name, parseQuery(req, ListInput)) });
});
