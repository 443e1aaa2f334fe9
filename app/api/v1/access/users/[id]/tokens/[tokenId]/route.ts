// DELETE /api/v1/access/users/{id}/tokens/{tokenId} – an admin revokes any user's API token (audited)
import { revokeToken } from "@/lib/access/revoke-token";
import { listUserTokens } from "@/lib/access/tokens";
import { AppError } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http/route";

export const DELETE = apiRoute<{ id: string; tokenId: string }>({ permission: "access.admin", deniedAction: { action: "access.token.revoke", targetKind: "token" } }, async (_req, { actor, meta, params }) => {
  // The token must be this user's: the path names whose token is revoked.
  if (!(await listUserTokens(actor, params.id)).some((t) => t.id === params.tokenId)) throw new AppError("NOT_FOUND", `token ${params.tokenId} not found for user ${params.id}`);
  return json(await revokeToken.execute(actor, { id: params.tokenId }, meta));
});
