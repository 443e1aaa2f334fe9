// GET /api/v1/access/users/{id}/effective – who can do what: a user's permissions and the bindings granting them
import { effectiveAccess } from "@/lib/access/bindings";
import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute<{ id: string }>({ permission: "access.read" }, async (_req, { actor, params }) => json(await effectiveAccess(actor, params.id)));
