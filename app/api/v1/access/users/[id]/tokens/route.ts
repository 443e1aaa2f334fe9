// GET /api/v1/access/users/{id}/tokens – a user's API tokens (never their secrets), for Settings → Access
import { listUserTokens } from "@/lib/access/tokens";
import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute<{ id: string }>({ permission: "access.read" }, async (_req, { actor, params }) => json(await listUserTokens(actor, params.id)));
