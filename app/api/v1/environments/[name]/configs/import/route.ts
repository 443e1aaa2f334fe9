// POST /api/v1/environments/{name}/configs/import[?preview=true] – import a zip in Nacos' layout (body: namespace, policy abort|skip|overwrite, zip base64, expected md5s from the preview) with per-item results; ?preview=true: the plan with diffs, nothing written (config.read) (config.publish, tier=prod: operator; Accept: application/x-ndjson streams progress)
import { ImportPreviewInput, importConfigs, previewImport } from "@/lib/configs/import-configs";
import { transferResponse } from "@/lib/configs/transfer-stream";
import { apiRoute, json, readBody } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  if (new URL(req.url).searchParams.get("preview") === "true") {
    const parsed = ImportPreviewInput.safeParse({ ...body, environment: params.name });
    if (!parsed.success) throw zodToAppError(parsed.error);
    return json(await previewImport(actor, params.name, parsed.data));
  }
  return transferResponse(req, () => importConfigs.execute(actor, { ...body, environment: params.name }, meta));
});
