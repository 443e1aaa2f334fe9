// DELETE /api/v1/me/tokens/{id} – revoke one of my API tokens (admins: anyone's)
import { apiRoute, json } from "@/lib/http/route";
import { revokeToken } from "@/lib/access/revoke-token";

export const DELETE = apiRoute<{ id: string }>({}, async (_req, { actor, meta, params }) => json(await revokeToken.execute(actor, { id: params.id }, meta)));
