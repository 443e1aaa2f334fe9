// GET /api/ready – readiness: the database is reachable and the process is not draining (503 when not)
import { readiness } from "@/lib/health";
import { isDraining } from "@/lib/metrics/lifecycle";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  // First thing on SIGTERM (scripts/server.mts): out of rotation while in-flight requests finish.
  if (isDraining()) return Response.json({ ready: false, draining: true }, { status: 503, headers: { "cache-control": "no-store" } });
  const r = await readiness();
  return Response.json(r, { status: r.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
