// POST /api/v1/environments/{name}/gateway/routes/{namespace}/{route}/traffic – one audited traffic step on an HTTPRoute, each its own revision: { action: "drain" | "restore", zone } or { action: "canary", step: "start" | "next" | "back" | "stop", … }; always with the resourceVersion the operator saw (409 when stale or held)
import { AppError } from "@/lib/errors";
import { apiRoute, json, readBody } from "@/lib/http/route";
import { drainZone } from "@/lib/gateway/drain-zone";
import { restoreZone } from "@/lib/gateway/restore-zone";
import { stepCanary } from "@/lib/gateway/step-canary";

type Params = { name: string; namespace: string; route: string };

export const POST = apiRoute<Params>({ permission: "gateway.route.write", deniedAction: { action: "gateway.route.write", targetKind: "HTTPRoute" } }, async (req, { actor, meta, params }) => {
  const { action, step, ...body } = await readBody(req);
  const input = { ...body, environment: params.name, namespace: params.namespace, name: params.route };
  if (action === "drain") return json(await drainZone.execute(actor, input, meta));
  if (action === "restore") return json(await restoreZone.execute(actor, input, meta));
  if (action === "canary") return json(await stepCanary.execute(actor, { ...input, action: step }, meta));
  throw new AppError("VALIDATION", "unknown traffic action", { fields: [{ field: "action", message: 'must be "drain", "restore" or "canary"' }] });
});
