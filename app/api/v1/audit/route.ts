// GET /api/v1/audit – audit events, newest first (all for auditors/admins, own for others)
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/http/zod-error";
import { ListAuditEventsInput, listAuditEvents } from "@/lib/audit/list-events";

export const GET = apiRoute({}, async (req, { actor }) => {
  const parsed = ListAuditEventsInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await listAuditEvents(actor, parsed.data));
});
