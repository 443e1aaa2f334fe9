// POST /api/v1/sites/{site}/disable – disable an IP of a service in every zone of the site (audited). The body must carry
// `expected` (each instance of the IP the operator saw, per zone). Per-zone `status` in the result; `partial: true` when
// some zones were changed and others not; 202 with `outcome: "unknown"` when Nacos did not show a zone's change in time;
// 409 (details.current, details.diff per zone) when nothing was sent because zones differ from what was seen.
import { apiRoute, json, readBody } from "@/lib/http/route";
import { disableEverywhere } from "@/lib/registry/disable-everywhere";

export const POST = apiRoute<{ site: string }>({ permission: "service.instance.write", deniedAction: { action: "service.instance.disable_everywhere", targetKind: "instance" } }, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const result = await disableEverywhere.execute(actor, { ...body, site: params.site }, meta);
  return json(result, { status: result.outcome === "unknown" ? 202 : 200 });
});
