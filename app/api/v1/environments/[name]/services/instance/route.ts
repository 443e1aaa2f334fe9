// PATCH /api/v1/environments/{name}/services/instance – change an instance's weight, enabled flag or metadata (audited)
import { apiRoute, json } from "@/lib/http/route";
import { updateInstance } from "@/lib/registry/services";

export const PATCH = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
  return json(await updateInstance.execute(actor, { ...body, environment: params.name }, meta));
});
