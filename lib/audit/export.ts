/**
 * Streams the audit log as CSV or JSON Lines: filtered and scoped like the page, read in
 * ascending id batches so memory stays constant at any size, and audited itself — the
 * intent commits before the first byte (fail closed), the outcome with the row count after
 * the last. JSON Lines rows carry every chain field and end with a manifest, so an export
 * re-verifies offline (`npm run audit:verify -- --file export.jsonl`).
 */
import "server-only";
import { getDb } from "@/lib/database";
import type { AuditEventRow } from "@/db/schema";
import { csvRow } from "@/lib/audit/csv";
import { auditBatchAfter, type AuditFilter, toView } from "@/lib/audit/query";
import type { RequestMeta } from "@/lib/audit/record";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

export type ExportFormat = "csv" | "jsonl";

const CSV_COLUMNS = [
  "id",
  "createdAt",
  "requestId",
  "phase",
  "outcome",
  "action",
  "actorId",
  "actorName",
  "actorSource",
  "actorRoles",
  "tokenId",
  "environment",
  "namespace",
  "targetKind",
  "targetName",
  "versionBefore",
  "versionAfter",
  "before",
  "after",
  "detail",
  "clientIp",
  "userAgent",
  "prevHash",
  "hash",
] as const;

export interface ExportManifest {
  manifest: true;
  format: ExportFormat;
  filters: AuditFilter;
  count: number;
  firstId: number | null;
  lastId: number | null;
  headHash: string | null;
  exportedAt: string;
  exportedBy: string;
}

// Small enough that one batch of rows and its text stay well inside the memory budget.
const BATCH = 1_000;

/**
 * Starts an export. Who may: auditors and admins (audit.export). Side effect: two audit rows.
 * Returns a byte stream; the caller sends it as the response body.
 */
export async function exportAudit(actor: Actor, filter: AuditFilter, format: ExportFormat, meta: RequestMeta): Promise<ReadableStream<Uint8Array>> {
  const db = await getDb().catch((e: unknown) => {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable", { cause: e, details: { system: "database" } });
  });
  const trail = auditTrail(db, {
    requestId: meta.requestId,
    action: "audit.export",
    actor: auditActor(actor),
    targetKind: "audit_log",
    targetName: format,
    clientIp: meta.clientIp ?? null,
    userAgent: meta.userAgent ?? null,
  });
  if (!decide(actor.grants, "audit.export")) {
    await trail.denied({ permission: "audit.export" }, "could not audit a denied export");
    throw new AppError("FORBIDDEN", `${actor.username} lacks audit.export`, { details: { permission: "audit.export" } });
  }
  await trail.intent({ filters: filter, format }, { message: "audit intent for export could not be written" });

  const encoder = new TextEncoder();
  let afterId = 0;
  let count = 0;
  let firstId: number | null = null;
  let lastRow: AuditEventRow | null = null;
  let headerSent = false;
  let finished = false;

  const finish = async (outcome: "succeeded" | "failed", detail: Record<string, unknown>) => {
    if (finished) return;
    finished = true;
    await trail.outcome({ outcome, detail: { ...detail, format, filters: filter } }, "could not audit an export's outcome");
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (format === "csv" && !headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRow([...CSV_COLUMNS])));
          return;
        }
        const rows = await auditBatchAfter(actor, filter, afterId, BATCH);
        if (rows.length === 0) {
          if (format === "jsonl") {
            const manifest: ExportManifest = {
              manifest: true,
              format,
              filters: filter,
              count,
              firstId,
              lastId: lastRow ? Number(lastRow.id) : null,
              headHash: lastRow?.hash ?? null,
              exportedAt: new Date().toISOString(),
              exportedBy: actor.username,
            };
            controller.enqueue(encoder.encode(JSON.stringify(manifest) + "\n"));
          }
          // Outcome before close: whoever read to the end can rely on it being on record.
          await finish("succeeded", { count, firstId, lastId: lastRow ? Number(lastRow.id) : null });
          controller.close();
          return;
        }
        let chunk = "";
        for (const r of rows) {
          const v = toView(r);
          chunk += format === "csv" ? csvRow(CSV_COLUMNS.map((c) => v[c])) : JSON.stringify(v) + "\n";
        }
        firstId ??= Number(rows[0]!.id);
        lastRow = rows[rows.length - 1]!;
        afterId = Number(lastRow.id);
        count += rows.length;
        controller.enqueue(encoder.encode(chunk));
      } catch (e) {
        logger.error("audit export failed mid-stream", { err: e, requestId: meta.requestId });
        controller.error(e);
        await finish("failed", { count, error: "stream_failed" });
      }
    },
    async cancel() {
      await finish("failed", { count, error: "client_cancelled" });
    },
  });
}
