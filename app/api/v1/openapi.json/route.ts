// GET /api/v1/openapi.json – the OpenAPI 3.1 description of /api/v1, generated from the routes' zod schemas (any signed-in user)
import { buildOpenApi } from "@/lib/api-docs/openapi";
import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute({}, async () => json(buildOpenApi(), { headers: { "cache-control": "private, max-age=300" } }));
