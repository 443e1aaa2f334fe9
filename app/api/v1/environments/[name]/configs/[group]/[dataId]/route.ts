// GET|PUT|DELETE /api/v1/environments/{name}/configs/{group}/{dataId}?namespace= – one config with its beta and gray (config.read) | publish an edit carrying casMd5 (409 with base/theirs/mine) | delete (casMd5 as a query parameter)
import { z } from "zod";
import { ConfigKeyInput, getConfigDetail } from "@/lib/configs/configs";
import { deleteConfig } from "@/lib/configs/delete-config";
import { withConflictBody } from "@/lib/configs/publishing";
import { updateConfig } from "@/lib/configs/update-config";
import { apiRoute, json, readBody, readQuery } from "@/lib/http/route";

type Params = { name: string; group: string; dataId: string };

export const GET = apiRoute<Params>({}, async (req, { actor, params }) =>
  json(await getConfigDetail(actor, params.name, readQuery(req, ConfigKeyInput, { group: params.group, dataId: params.dataId }))),
);

export const PUT = apiRoute<Params>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  const namespace = new URL(req.url).searchParams.get("namespace") ?? body.namespace;
  try {
    return json(await updateConfig.execute(actor, { ...body, namespace, environment: params.name, group: params.group, dataId: params.dataId }, meta));
  } catch (e) {
    throw withConflictBody(e);
  }
});

const DeleteQuery = z.object({ namespace: z.string().default(""), casMd5: z.string().default("") });

export const DELETE = apiRoute<Params>({}, async (req, { actor, meta, params }) => {
  const q = readQuery(req, DeleteQuery);
  return json(await deleteConfig.execute(actor, { ...q, environment: params.name, group: params.group, dataId: params.dataId }, meta));
});
