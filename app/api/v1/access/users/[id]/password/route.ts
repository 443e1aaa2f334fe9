// POST /api/v1/access/users/{id}/password – set a new password on a local account (admin)
import { resetLocalPassword } from "@/lib/access/reset-local-password";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ id: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await resetLocalPassword.execute(actor, { ...body, id: params.id }, meta));
});
