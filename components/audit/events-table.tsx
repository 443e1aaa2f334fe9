"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { useAuditEvents } from "@/lib/audit/hooks";
import { OutcomeBadge, PhaseLabel } from "@/components/ui/outcome-badge";

export interface EventRow {
  id: number;
  createdAt: string;
  requestId: string;
  phase: string;
  outcome: string | null;
  action: string;
  actorName: string;
  actorSource: string;
  environment: string | null;
  namespace: string | null;
  targetKind: string | null;
  targetName: string | null;
}

/** Audit rows, newest first, server-side cursor pagination; `query` is the filter string. */
export function EventsTable({
  pageSize = 50,
  paged = true,
  query = "",
  onSelect,
  selectedId,
}: {
  pageSize?: number;
  paged?: boolean;
  query?: string;
  onSelect?: (id: number) => void;
  selectedId?: number | null;
}) {
  const { t, locale } = useI18n();
  const q = useAuditEvents<EventRow>(pageSize, query);
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const all = q.data.pages.flatMap((p) => p.items);
  // A short list (the overview's recent activity) shows one line per change: the intent and its
  // outcome share a request id, and the newest row (the outcome, once there is one) stands for both.
  const rows = paged ? all : all.filter((r, i) => all.findIndex((x) => x.requestId === r.requestId) === i);
  if (rows.length === 0) return <EmptyState>{t("audit.empty")}</EmptyState>;
  // One time format everywhere: local date and time; the full time with its zone on hover.
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
  const full = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "long" });
  return (
    <div>
      <div className="max-h-[36rem] overflow-auto rounded border border-slate-100 dark:border-slate-800">
        <table className="w-full text-left text-sm" data-testid="audit-table">
          <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
            <tr>
              <th className="px-2 py-2 font-medium">{t("audit.time")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.actor")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.action")}</th>
              {paged && <th className="px-2 py-2 font-medium">{t("audit.phase")}</th>}
              <th className="px-2 py-2 font-medium">{t("audit.outcome")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.where")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.target")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                tabIndex={onSelect ? 0 : undefined}
                aria-selected={selectedId === r.id}
                onClick={onSelect ? () => onSelect(r.id) : undefined}
                onKeyDown={onSelect ? (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onSelect(r.id)) : undefined}
                className={`border-t border-slate-100 dark:border-slate-800 ${onSelect ? "cursor-pointer hover:bg-sky-50 focus:bg-sky-50 dark:hover:bg-slate-800 dark:focus:bg-slate-800" : ""} ${selectedId === r.id ? "bg-sky-50 dark:bg-slate-800" : ""}`}
              >
                <td className="whitespace-nowrap px-2 py-1.5 text-slate-600 dark:text-slate-300">
                  <time dateTime={r.createdAt} title={full.format(new Date(r.createdAt))}>
                    {fmt.format(new Date(r.createdAt))}
                  </time>
                </td>
                <td className="px-2 py-1.5">
                  {r.actorName} <span className="text-xs text-slate-500">({r.actorSource})</span>
                </td>
                <td className="px-2 py-1.5 font-mono text-xs">{r.action}</td>
                {paged && (
                  <td className="px-2 py-1.5 text-xs">
                    <PhaseLabel phase={r.phase} />
                  </td>
                )}
                <td className="px-2 py-1.5">
                  <OutcomeBadge outcome={r.outcome} />
                </td>
                <td className="px-2 py-1.5 text-xs">{[r.environment, r.namespace].filter(Boolean).join(" / ")}</td>
                <td className="px-2 py-1.5 text-xs">{[r.targetKind, r.targetName].filter(Boolean).join(" / ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paged && q.hasNextPage && (
        <Button variant="secondary" className="mt-3" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {q.isFetchingNextPage ? t("common.loading") : t("common.next")}
        </Button>
      )}
    </div>
  );
}
