// GET /api/v1/environments/{name}/signals – golden signals (rate, 5xx ratio, p50/p99) from the environment's Prometheus (service.read in scope)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { goldenSignals } from "@/lib/overview/golden-signals";
import { SignalsInput } from "@/lib/overview/queries";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await goldenSignals(actor, params.name, readQuery(req, SignalsInput))));
