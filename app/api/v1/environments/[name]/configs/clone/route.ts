// POST /api/v1/environments/{name}/configs/clone[?preview=true] – clone configs of this environment (body: namespace, items, targetEnvironment, targetNamespace, policy, expected) server side with per-item results; ?preview=true: the plan with diffs, nothing written (config.read on both sides) (config.read on the source, config.publish on the target, tier=prod: operator; Accept: application/x-ndjson streams progress)
import { ClonePreviewInput, cloneConfigs, previewClone } from "@/lib/configs/clone-configs";
import { transferResponse } from "@/lib/configs/transfer-stream";
import { apiRoute, json, readBody } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  if (new URL(req.url).searchParams.get("preview") === "true") {
    const parsed = ClonePreviewInput.safeParse({ ...body, environment: params.name });
    if (!parsed.success) throw zodToAppError(parsed.error);
    return json(await previewClone(actor, params.name, parsed.data));
  }
  return transferResponse(req, () => cloneConfigs.execute(actor, { ...body, environment: params.name }, meta));
});
