// PATCH /api/v1/environments/{name}/services/{group}/{service}/instance – change an instance's weight, enabled flag or metadata (audited).
// The body names the instance (namespace, ip, port, clusterName) and must carry `expected` (the values the operator saw):
// 200 when Nacos shows the change, 202 with `outcome: "unknown"` when it was sent but Nacos did not show it in time,
// 409 (details.current, details.diff) when Nacos no longer holds the expected values.
import { apiRoute, json, readBody } from "@/lib/http/route";
import { updateInstance } from "@/lib/registry/update-instance";

export const PATCH = apiRoute<{ name: string; group: string; service: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const result = await updateInstance.execute(actor, { ...body, environment: params.name, group: params.group, serviceName: params.service }, meta);
  return json(result, { status: result.outcome === "unknown" ? 202 : 200 });
});
