// GET|PUT|DELETE /api/v1/environments/{name} – read (404 outside scope), change or remove an environment (admin)
import { deleteEnvironment, DeleteEnvironmentQuery } from "@/lib/environments/delete-environment";
import { getEnvironment } from "@/lib/environments/environments";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { apiRoute, json, readBody, readQuery } from "@/lib/http/route";

export const GET = apiRoute<{ name: string }>({}, async (_req, { actor, params }) => json(await getEnvironment(actor, params.name)));

export const PUT = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await updateEnvironment.execute(actor, { ...body, name: params.name }, meta));
});

export const DELETE = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const { expectedVersion } = readQuery(req, DeleteEnvironmentQuery);
  return json(await deleteEnvironment.execute(actor, { name: params.name, expectedVersion }, meta));
});
