// GET|POST /api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}/revisions – the object's revisions (?revision=N: one, with its stored object); POST rolls back to { revision, resourceVersion } as a guarded new write
import { z } from "zod";
import { apiRoute, json, readBody } from "@/lib/http/route";
import { GATEWAY } from "@/lib/gateway/objects";
import { parseQuery, parseRef } from "@/lib/gateway/query";
import { rollbackObject } from "@/lib/gateway/rollback-object";

type Params = { name: string; kind: string; namespace: string; objname: string };
const ref = (p: Params) => ({ environment: p.name, kind: p.kind, namespace: p.namespace, name: p.objname });
const RevisionQuery = z.object({ revision: z.coerce.number().int().min(1).optional() }).strict();

export const GET = apiRoute<Params>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  const q = parseQuery(req, RevisionQuery);
  const r = parseRef(GATEWAY.ObjectRef, ref(params));
  if (q.revision !== undefined) return json(await GATEWAY.getRevision(actor, r, q.revision));
  return json({ items: await GATEWAY.listRevisions(actor, r) });
});

export const POST = apiRoute<Params>({ permission: "gateway.route.write", deniedAction: { action: "gateway.route.rollback", targetKind: "GatewayObject" } }, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await rollbackObject.execute(actor, { ...body, ...ref(params) }, meta));
});
