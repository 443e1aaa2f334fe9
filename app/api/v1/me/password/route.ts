// POST /api/v1/me/password – change the signed-in local account's password
import { apiRoute, json, readBody } from "@/lib/http/route";
import { changePassword } from "@/lib/profile/change-password";

export const POST = apiRoute({}, async (req, { actor, meta }) =>
  json(await changePassword.execute(actor, await readBody(req), meta)),
);
