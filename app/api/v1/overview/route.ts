// GET /api/v1/overview – registry counts per zone now and over time, changes and audit activity, failures, gray releases of one environment or site (environment.read in scope)
import { apiRoute, json } from "@/lib/http/route";
import { getOverview, OverviewInput } from "@/lib/overview/overview";
import { zodToAppError } from "@/lib/zod-error";

export const GET = apiRoute({}, async (req, { actor }) => {
  const parsed = OverviewInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await getOverview(actor, parsed.data));
});
