// GET /api/v1/overview – registry counts per zone now and over time, changes and audit activity, failures, gray releases of one environment or site (environment.read in scope)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { getOverview, OverviewInput } from "@/lib/overview/overview";

export const GET = apiRoute({}, async (req, { actor }) => {
  return json(await getOverview(actor, readQuery(req, OverviewInput)));
});
