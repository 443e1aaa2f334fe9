// GET /api/v1/environments/{name}/signals – golden signals (rate, 5xx ratio, p50/p99) from the environment's Prometheus (service.read in scope)
import { apiRoute, json } from "@/lib/http/route";
import { goldenSignals } from "@/lib/overview/golden-signals";
import { SignalsInput } from "@/lib/overview/queries";
import { zodToAppError } from "@/lib/zod-error";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => {
  const parsed = SignalsInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return json(await goldenSignals(actor, params.name, parsed.data));
});
