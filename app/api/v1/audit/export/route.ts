// GET /api/v1/audit/export – stream the (filtered) audit log as CSV or JSON Lines; audited
import { z } from "zod";
import { exportAudit } from "@/lib/audit/export";
import { AuditFilter } from "@/lib/audit/query";
import { apiRoute } from "@/lib/http/route";
import { zodToAppError } from "@/lib/zod-error";

const Query = AuditFilter.and(z.object({ format: z.enum(["csv", "jsonl"]).default("jsonl") }));

export const GET = apiRoute({}, async (req, { actor, meta }) => {
  const parsed = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { format, ...filter } = parsed.data;
  const stream = await exportAudit(actor, filter, format, meta);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="switchyard-audit-${stamp}.${format === "csv" ? "csv" : "jsonl"}"`,
      "cache-control": "no-store",
    },
  });
});
