// GET /api/v1/audit – audit events, filtered, newest first, cursor-paginated (all for auditors/admins, own for others)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { AuditPageInput, listAuditEvents } from "@/lib/audit/query";

export const GET = apiRoute({}, async (req, { actor }) => json(await listAuditEvents(actor, readQuery(req, AuditPageInput))));
