// GET|POST /api/v1/access/bindings – list role bindings (access.read); create one (admin)
import { listBindings } from "@/lib/access/bindings";
import { createBinding } from "@/lib/access/create-binding";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const GET = apiRoute({ permission: "access.read" }, async (_req, { actor }) => json(await listBindings(actor)));

export const POST = apiRoute({}, async (req, { actor, meta }) =>
  json(await createBinding.execute(actor, await readBody(req), meta), { status: 201 }),
);
