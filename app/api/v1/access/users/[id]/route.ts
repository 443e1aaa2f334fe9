// PATCH /api/v1/access/users/{id} – disable or re-enable an account (admin)
import { setUserDisabled } from "@/lib/access/set-user-disabled";
import { apiRoute, json } from "@/lib/http/route";

export const PATCH = apiRoute<{ id: string }>({}, async (req, { actor, meta, params }) => {
  const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
  return json(await setUserDisabled.execute(actor, { ...body, id: params.id }, meta));
});
