// GET|POST /api/v1/environments – environments in the caller's scope; register one (admin)
import { createEnvironment } from "@/lib/environments/create-environment";
import { listEnvironments } from "@/lib/environments/environments";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const GET = apiRoute({ permission: "environment.read" }, async (_req, { actor }) => json(await listEnvironments(actor)));

export const POST = apiRoute({}, async (req, { actor, meta }) =>
  json(await createEnvironment.execute(actor, await readBody(req), meta), { status: 201 }),
);
