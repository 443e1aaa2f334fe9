// GET /api/v1/audit – audit events, filtered, newest first, cursor-paginated (all for auditors/admins, own for others)
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";
import { AuditPageInput, listAuditEvents } from "@/lib/audit/query";

export const GET = apiRoute({}, async (req, { actor }) => {
  const parsed = AuditPageInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await listAuditEvents(actor, parsed.data));
});
