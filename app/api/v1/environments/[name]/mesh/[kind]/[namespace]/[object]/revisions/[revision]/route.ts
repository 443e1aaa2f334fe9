// GET /api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/revisions/{revision} – one stored revision with its object (mesh.policy.read in scope)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/route";
import { MESH } from "@/lib/mesh/objects";
import { PolicyRef } from "@/lib/mesh/policies";
import { zodToAppError } from "@/lib/zod-error";

const Revision = z.object({ revision: z.coerce.number().int().min(1).max(2_147_483_647) });

export const GET = apiRoute<{ name: string; kind: string; namespace: string; object: string; revision: string }>({}, async (_req, { actor, params }) => {
  const ref = PolicyRef.safeParse({ environment: params.name, kind: params.kind, namespace: params.namespace, name: params.object });
  if (!ref.success) throw zodToAppError(ref.error);
  const revision = Revision.safeParse({ revision: params.revision });
  if (!revision.success) throw zodToAppError(revision.error);
  return json(await MESH.getRevision(actor, ref.data, revision.data.revision));
});
