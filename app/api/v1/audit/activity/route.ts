// GET /api/v1/audit/activity – outcomes per day for the overview chart (scoped like /audit)
import { auditActivity } from "@/lib/audit/activity";
import { AuditActivityQuery } from "@/lib/audit/query";
import { apiRoute, json, readQuery } from "@/lib/http/route";

export const GET = apiRoute({}, async (req, { actor }) => {
  return json(await auditActivity(actor, readQuery(req, AuditActivityQuery).days));
});
