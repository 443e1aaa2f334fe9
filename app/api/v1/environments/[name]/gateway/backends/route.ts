// GET /api/v1/environments/{name}/gateway/backends – a service in every zone of a site: the gateway host per zone and healthy / total instances from each zone's registry
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/route";
import { gatewayEnvironment } from "@/lib/gateway/reads";
import { parseQuery } from "@/lib/gateway/query";
import { siteServiceHealth } from "@/lib/gateway/sites";
import { GroupName, ServiceNameField, SiteName } from "@/lib/registry/zone-fields";

const BackendsInput = z.object({ site: SiteName, service: ServiceNameField, group: GroupName.default("DEFAULT_GROUP") }).strict();

export const GET = apiRoute<{ name: string }>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  const q = parseQuery(req, BackendsInput);
  await gatewayEnvironment(actor, params.name);
  return json({ site: q.site, service: q.service, group: q.group, zones: await siteServiceHealth(actor, q.site, q.service, q.group) });
});
