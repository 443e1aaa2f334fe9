// GET /api/v1/audit/activity – outcomes per day for the overview chart (scoped like /audit)
import { z } from "zod";
import { auditActivity } from "@/lib/audit/activity";
import { apiRoute, json, readQuery } from "@/lib/http/route";

const Query = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });

export const GET = apiRoute({}, async (req, { actor }) => {
  return json(await auditActivity(actor, readQuery(req, Query).days));
});
