// POST /api/v1/environments/{name}/test – test each configured backend connection (admin); a verdict per system
import { testEnvironment } from "@/lib/environments/connect";
import { apiRoute, json } from "@/lib/http/route";

export const POST = apiRoute<{ name: string }>({}, async (_req, { actor, params }) => json(await testEnvironment(actor, params.name)));
