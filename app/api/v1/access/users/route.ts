// GET|POST /api/v1/access/users – list accounts (access.read); create a local account (admin)
import { createLocalUser } from "@/lib/access/create-local-user";
import { listUsers } from "@/lib/access/users";
import { apiRoute, json, readBody } from "@/lib/http/route";

export const GET = apiRoute({ permission: "access.read" }, async (_req, { actor }) => json(await listUsers(actor)));

export const POST = apiRoute({}, async (req, { actor, meta }) =>
  json(await createLocalUser.execute(actor, await readBody(req), meta), { status: 201 }),
);
