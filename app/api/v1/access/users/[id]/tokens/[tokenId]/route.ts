// DELETE /api/v1/access/users/{id}/tokens/{tokenId} – an admin revokes any user's API token (audited)
import { revokeToken } from "@/lib/auth/tokens";
import { apiRoute, json } from "@/lib/http/route";

export const DELETE = apiRoute<{ id: string; tokenId: string }>({ permission: "access.admin" }, async (_req, { actor, meta, params }) =>
  json(await revokeToken.execute(actor, { id: params.tokenId }, meta)),
);
