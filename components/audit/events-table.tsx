"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { apiFetch } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n/messages";

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

export const OUTCOME_STYLE: Record<string, string> = {
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  conflict: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  denied: "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-900 dark:text-fuchsia-100",
  partial: "bg-orange-100 text-orange-900 dark:bg-orange-900 dark:text-orange-100",
  unknown: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
};

const OUTCOME_LABEL: Record<string, MessageKey> = {
  succeeded: "audit.outcome.succeeded",
  failed: "audit.outcome.failed",
  conflict: "audit.outcome.conflict",
  denied: "audit.outcome.denied",
  partial: "audit.outcome.partial",
  unknown: "audit.outcome.unknown",
};
const PHASE_LABEL: Record<string, MessageKey> = { intent: "audit.phase.intent", outcome: "audit.phase.outcome" };

/** An outcome in the reader's language; the stored value stays in the title (and in exports). */
export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  const { t } = useI18n();
  if (!outcome) return null;
  const label = OUTCOME_LABEL[outcome];
  return (
    <span title={outcome} className={`rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_STYLE[outcome] ?? ""}`}>
      {label ? t(label) : outcome}
    </span>
  );
}

export function PhaseLabel({ phase }: { phase: string }) {
  const { t } = useI18n();
  const label = PHASE_LABEL[phase];
  return <span title={phase}>{label ? t(label) : phase}</span>;
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
  const q = useInfiniteQuery({
    queryKey: ["audit", "events", pageSize, query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      apiFetch<{ items: EventRow[]; nextCursor: string | null }>(`/api/v1/audit?limit=${pageSize}${query ? `&${query}` : ""}${pageParam ? `&cursor=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const rows = q.data.pages.flatMap((p) => p.items);
  if (rows.length === 0) return <EmptyState>{t("audit.empty")}</EmptyState>;
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
  return (
    <div>
      <div className="max-h-[36rem] overflow-auto rounded border border-slate-100 dark:border-slate-800">
        <table className="w-full text-left text-sm" data-testid="audit-table">
          <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
            <tr>
              <th className="px-2 py-2 font-medium">{t("audit.time")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.actor")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.action")}</th>
              <th className="px-2 py-2 font-medium">{t("audit.phase")}</th>
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
                <td className="whitespace-nowrap px-2 py-1.5 text-slate-600 dark:text-slate-300" title={r.createdAt}>
                  {fmt.format(new Date(r.createdAt))}
                </td>
                <td className="px-2 py-1.5">
                  {r.actorName} <span className="text-xs text-slate-500">({r.actorSource})</span>
                </td>
                <td className="px-2 py-1.5 font-mono text-xs">{r.action}</td>
                <td className="px-2 py-1.5 text-xs">
                  <PhaseLabel phase={r.phase} />
                </td>
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
