// GET /api/v1/me – the signed-in user, roles, scopes and effective permissions
import { apiRoute, json } from "@/lib/http/route";
import { getMe } from "@/lib/profile/get-me";

export const GET = apiRoute({}, async (_req, { actor }) => json(await getMe(actor)));
