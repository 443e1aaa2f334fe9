// GET /api/v1/audit/activity – outcomes per day for the overview chart (scoped like /audit)
import { z } from "zod";
import { auditActivity } from "@/lib/audit/activity";
import { apiRoute, json } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";

const Query = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });

export const GET = apiRoute({}, async (req, { actor }) => {
  const parsed = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await auditActivity(actor, parsed.data.days));
});
