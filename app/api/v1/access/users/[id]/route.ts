// PATCH /api/v1/access/users/{id} – disable or re-enable an account (admin)
import { setUserDisabled } from "@/lib/access/set-user-disabled";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const PATCH = apiRoute<{ id: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await setUserDisabled.execute(actor, { ...body, id: params.id }, meta));
});
