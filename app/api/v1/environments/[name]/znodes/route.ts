// GET|PUT|DELETE /api/v1/environments/{name}/znodes – browse a znode (operators and up), write or delete one (admins; version-checked, audited)
import { z } from "zod";
import { apiRoute, json, readBody, readQuery } from "@/lib/http/route";
import { deleteZnode } from "@/lib/registry/delete-znode";
import { writeZnode } from "@/lib/registry/write-znode";
import { listZnode } from "@/lib/registry/znodes";

/** The path itself is checked by listZnode (relative to the registry root, no `..`). */
const ZnodeQuery = z.object({ path: z.string().max(4096, "at most 4096 characters").default("/") });

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await listZnode(actor, params.name, readQuery(req, ZnodeQuery).path || "/")));

export const PUT = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const body = await readBody(req);
  return json(await writeZnode.execute(actor, { ...body, environment: params.name }, meta));
});

export const DELETE = apiRoute<{ name: string }>({}, async (req, { actor, meta, params }) => {
  const q = new URL(req.url).searchParams;
  const version = q.get("expectedVersion");
  // A missing version must not read as 0 (Number(null)): let validation name the field.
  return json(await deleteZnode.execute(actor, { environment: params.name, path: q.get("path") ?? "", expectedVersion: version === null || version === "" ? undefined : Number(version) }, meta));
});
