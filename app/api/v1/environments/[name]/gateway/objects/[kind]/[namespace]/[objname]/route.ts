// GET|PUT|DELETE|POST /api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname} – one Gateway, IstioGateway, HTTPRoute or McpBridge: read (routes with model, traffic state, per-zone backends and SY-G issues), apply (guarded; 409 stale, 422 invalid), delete (guarded), POST = preview (issues, diff, dry-run verdict; changes nothing)
import { apiRoute, json, readBody } from "@/lib/http/route";
import { applyObject } from "@/lib/gateway/apply-object";
import { deleteObject } from "@/lib/gateway/delete-object";
import { GATEWAY } from "@/lib/gateway/objects";
import { parseRef } from "@/lib/gateway/query";
import { getObject, getRoute } from "@/lib/gateway/reads";

type Params = { name: string; kind: string; namespace: string; objname: string };

const ref = (p: Params) => ({ environment: p.name, kind: p.kind, namespace: p.namespace, name: p.objname });

export const GET = apiRoute<Params>({ permission: "gateway.route.read" }, async (_req, { actor, params }) => {
  const r = parseRef(GATEWAY.ObjectRef, ref(params));
  if (r.kind === "HTTPRoute") return json(await getRoute(actor, r.environment, r.namespace, r.name));
  return json(await getObject(actor, r.environment, r.kind, r.namespace, r.name));
});

export const PUT = apiRoute<Params>({ permission: "gateway.route.write", deniedAction: { action: "gateway.route.write", targetKind: "GatewayObject" } }, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const result = await applyObject.execute(actor, { ...body, ...ref(params) }, meta);
  return json(result, { status: result.created ? 201 : 200 });
});

export const DELETE = apiRoute<Params>({ permission: "gateway.route.write", deniedAction: { action: "gateway.route.delete", targetKind: "GatewayObject" } }, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await deleteObject.execute(actor, { ...body, ...ref(params) }, meta));
});

export const POST = apiRoute<Params>({ permission: "gateway.route.read" }, async (req, { actor, params }) => {
  const body = await readBody(req);
  return json(await GATEWAY.preview(actor, { ...body, ...ref(params) }));
});
