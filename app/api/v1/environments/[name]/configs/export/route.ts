// POST /api/v1/environments/{name}/configs/export – the selected configs (body `items`) or the whole namespace as a zip in Nacos' layout, secret values redacted (config.read; audited: count and keys)
import { exportConfigs } from "@/lib/configs/export-configs";
import { apiRoute, readBody } from "@/lib/http/route";

export const POST = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const out = await exportConfigs.execute(actor, { ...body, environment: params.name }, meta);
  return new Response(Buffer.from(out.zip), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${out.fileName.replace(/[^A-Za-z0-9_.-]/g, "_")}"`,
      "x-export-count": String(out.count),
      "x-export-redacted": String(out.redactedItems),
    },
  });
});
