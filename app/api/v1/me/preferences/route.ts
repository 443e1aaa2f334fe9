// PATCH /api/v1/me/preferences – set the signed-in user's language and theme
import { apiRoute, json, readBody } from "@/lib/http/route";
import { updatePreferences } from "@/lib/profile/update-preferences";

export const PATCH = apiRoute({}, async (req, { actor, meta }) =>
  json(await updatePreferences.execute(actor, await readBody(req), meta)),
);
