// GET /api/v1/audit/{id} – one audit event with its linked intent/outcome rows (404 outside scope)
import { z } from "zod";
import { getAuditEvent } from "@/lib/audit/query";
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";

const Params = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be an event id") });

export const GET = apiRoute<{ id: string }>({}, async (_req, { actor, params }) => {
  const p = Params.safeParse(params);
  if (!p.success) throw zodToAppError(p.error);
  return json(await getAuditEvent(actor, Number(p.data.id)));
});
