// GET|POST /api/v1/me/tokens – list my API tokens; create one (the secret is returned once)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { createToken } from "@/lib/access/create-token";
import { listTokens } from "@/lib/access/tokens";

export const GET = apiRoute({}, async (_req, { actor }) => json(await listTokens(actor)));

export const POST = apiRoute({}, async (req, { actor, meta }) =>
  json(await createToken.execute(actor, await readBody(req), meta), { status: 201 }),
);
