// POST /api/v1/sites/{site}/disable – disable an IP of a service in every zone of the site (audited; `partial: true` when some zones failed)
import { apiRoute, json } from "@/lib/http/route";
import { disableEverywhere } from "@/lib/registry/zones";

export const POST = apiRoute<{ site: string }>({ permission: "service.instance.write" }, async (req, { actor, meta, params }) => {
  const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
  return json(await disableEverywhere.execute(actor, { ...body, site: params.site }, meta));
});
