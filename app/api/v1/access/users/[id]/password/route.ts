// POST /api/v1/access/users/{id}/password – set a new password on a local account (admin)
import { resetLocalPassword } from "@/lib/access/reset-local-password";
import { apiRoute, json } from "@/lib/http/route";

export const POST = apiRoute<{ id: string }>({}, async (req, { actor, meta, params }) => {
  const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
  return json(await resetLocalPassword.execute(actor, { ...body, id: params.id }, meta));
});
