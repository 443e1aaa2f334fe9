"use client";

import { useState } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { DiffConfirm } from "@/components/configs/diff-confirm";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Pager } from "@/components/ui/pager";
import { ErrorState, QueryStates, Spinner } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { ApiError } from "@/lib/api-client";
import { useConfigHistory, useConfigHistoryRecord, useRollbackConfig } from "@/lib/configs/hooks";
import type { ConfigDetailView } from "@/lib/configs/views";

const OPS: Record<string, "configs.history.opI" | "configs.history.opU" | "configs.history.opD"> = { I: "configs.history.opI", U: "configs.history.opU", D: "configs.history.opD" };

/**
 * A config's history (Nacos keeps, for each change, the content it replaced; for a create, the
 * created content): operator, source IP and time; view one record, diff any two, roll back to
 * one — a new publish of its content, CAS-guarded and confirmed with a diff.
 */
export function HistoryPanel({ detail, canPublish }: { detail: ConfigDetailView; canPublish: boolean }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const [rollbackId, setRollbackId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { environment, namespace, group, dataId } = detail;
  const history = useConfigHistory(environment, namespace, group, dataId, page);
  const recA = useConfigHistoryRecord(environment, namespace, group, dataId, a);
  const recB = useConfigHistoryRecord(environment, namespace, group, dataId, b);
  const recRollback = useConfigHistoryRecord(environment, namespace, group, dataId, rollbackId);
  const rollback = useRollbackConfig(environment, namespace, group, dataId);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div className="space-y-3" data-testid="history-panel">
      <p className="text-xs text-slate-500 dark:text-slate-400">{t("configs.history.hint")}</p>
      {done && (
        <Banner tone="success" role="status" data-testid="rollback-done">
          {done}
        </Banner>
      )}
      <QueryStates query={history} isEmpty={(d) => d.items.length === 0} empty={t("configs.history.empty")}>
        {(d) => (
          <DataTable
            testId="history-table"
            columns={[t("configs.history.compareA"), t("configs.history.compareB"), t("configs.history.time"), t("configs.history.op"), t("configs.history.operator"), t("configs.history.sourceIp"), ""]}
          >
            {d.items.map((h) => (
              <tr key={h.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="history-row">
                <td className="px-2 py-1">
                  <input type="radio" name="history-a" aria-label={t("configs.history.pickA", { id: h.id })} checked={a === h.id} onChange={() => setA(h.id)} />
                </td>
                <td className="px-2">
                  <input type="radio" name="history-b" aria-label={t("configs.history.pickB", { id: h.id })} checked={b === h.id} onChange={() => setB(h.id)} />
                </td>
                <td className="px-2 text-xs" title={zone}>
                  {h.modifiedAt ? fmt.format(h.modifiedAt) : "—"}
                </td>
                <td className="px-2 text-xs">
                  {OPS[h.opType] ? t(OPS[h.opType]!) : h.opType}
                  {h.publishType === "gray" && <span className="ml-1 text-amber-700 dark:text-amber-300">({t("configs.gray.short")})</span>}
                </td>
                <td className="px-2 text-xs">{h.sourceUser ?? "—"}</td>
                <td className="px-2 font-mono text-xs">{h.sourceIp ?? "—"}</td>
                <td className="px-2 text-right">
                  {canPublish && detail.formal && h.publishType !== "gray" && (
                    <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => (setDone(null), rollback.reset(), setRollbackId(h.id))} data-testid="history-rollback">
                      {t("configs.history.rollback")}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryStates>
      {history.data && <Pager page={page} pages={history.data.pages} total={history.data.total} onPage={setPage} />}
      {(a || b) && (
        <section className="space-y-2" data-testid="history-compare">
          <h3 className="text-sm font-semibold">{a && b ? t("configs.history.diffTitle", { a, b }) : t("configs.history.viewTitle", { id: (a ?? b)! })}</h3>
          {(recA.isPending && a) || (recB.isPending && b) ? (
            <Spinner />
          ) : recA.isError || recB.isError ? (
            <ErrorState error={recA.error ?? recB.error} />
          ) : a && b ? (
            <DiffView before={recA.data?.content ?? ""} after={recB.data?.content ?? ""} beforeLabel={`#${a}`} afterLabel={`#${b}`} />
          ) : (
            <pre className="max-h-72 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs dark:border-slate-800 dark:bg-slate-950" data-testid="history-content">
              {(a ? recA.data : recB.data)?.content}
            </pre>
          )}
        </section>
      )}
      {rollbackId && detail.formal && (
        recRollback.isPending ? (
          <Spinner />
        ) : (
          <DiffConfirm
            title={t("configs.history.confirmRollback", { id: rollbackId })}
            before={detail.formal.content}
            after={recRollback.data?.content ?? ""}
            beforeLabel={t("configs.published.label")}
            afterLabel={`#${rollbackId}`}
            confirmLabel={t("configs.history.rollback")}
            pending={rollback.isPending}
            danger={detail.prod}
            confirmDisabled={!recRollback.data}
            error={rollback.isError ? <ErrorState error={rollback.error} /> : recRollback.isError ? <ErrorState error={recRollback.error} /> : undefined}
            onConfirm={() =>
              rollback.mutate(
                { historyId: rollbackId, casMd5: detail.formal!.md5 },
                {
                  onSuccess: (r) => (setRollbackId(null), setDone(t("configs.history.rolledBack", { md5: r.md5.slice(0, 12) }))),
                  onError: (e) => {
                    if (e instanceof ApiError && e.status === 409) setDone(null);
                  },
                },
              )
            }
            onCancel={() => setRollbackId(null)}
          >
            <p>{t("configs.history.rollbackHint")}</p>
          </DiffConfirm>
        )
      )}
    </div>
  );
}
