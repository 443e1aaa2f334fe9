"use client";

import { useId, useState, type ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";

export interface TableData {
  columns: string[];
  rows: Array<Array<ReactNode>>;
}

/**
 * One chart of the overview with its states: loading, error (names the system, offers retry),
 * empty, and the chart with a table of the same values — always present for screen readers,
 * shown on demand ("Table") for everyone.
 */
export function ChartFrame({
  title,
  hint,
  testId,
  loading,
  error,
  onRetry,
  empty,
  emptyText,
  table,
  children,
  className = "",
  actions,
}: {
  title: string;
  hint?: ReactNode;
  testId: string;
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty: boolean;
  emptyText?: ReactNode;
  table: TableData;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  const { t } = useI18n();
  const [asTable, setAsTable] = useState(false);
  const tableId = useId();
  const ready = !loading && !error && !empty;
  return (
    <Card
      title={title}
      hint={hint}
      className={className}
      actions={
        <div className="flex items-center gap-2">
          {actions}
          {ready && (
            <button
              type="button"
              aria-pressed={asTable}
              aria-controls={tableId}
              data-testid={`${testId}-table-toggle`}
              onClick={() => setAsTable((v) => !v)}
              className="rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              {asTable ? t("overview.showChart") : t("overview.showTable")}
            </button>
          )}
        </div>
      }
    >
      <div data-testid={testId} data-state={loading ? "loading" : error ? "error" : empty ? "empty" : "ready"}>
        {loading ? (
          <Spinner />
        ) : error ? (
          <ErrorState error={error} onRetry={onRetry} />
        ) : empty ? (
          <EmptyState>{emptyText ?? t("overview.noData")}</EmptyState>
        ) : (
          <>
            {!asTable && (
              <figure role="img" aria-label={t("overview.chartLabel", { title, count: table.rows.length })} className="text-slate-600 dark:text-slate-300">
                {children}
              </figure>
            )}
            <div id={tableId} className={asTable ? "max-h-80 overflow-auto" : "sr-only"}>
              <DataTable caption={title} data={table} />
            </div>
          </>
        )}
      </div>
    </Card>
  );
}

export function DataTable({ caption, data, testId }: { caption?: string; data: TableData; testId?: string }) {
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead className="text-xs text-slate-500 dark:text-slate-400">
        <tr>
          {data.columns.map((c, i) => (
            <th key={i} scope="col" className={`py-1 pr-3 font-medium ${i > 0 ? "text-right" : ""}`}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r, i) => (
          <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
            {r.map((cell, j) => (
              <td key={j} className={`py-1 pr-3 ${j > 0 ? "text-right tabular-nums" : ""}`}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
