// GET /api/v1/audit/export – stream the (filtered) audit log as CSV or JSON Lines; audited
import { exportAudit } from "@/lib/audit/export";
import { AuditExportQuery } from "@/lib/audit/query";
import { apiRoute, readQuery } from "@/lib/http/route";

export const GET = apiRoute({}, async (req, { actor, meta }) => {
  const { format, ...filter } = readQuery(req, AuditExportQuery);
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
