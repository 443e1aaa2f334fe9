"use client";

import type { ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/api-client";

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 py-6 text-sm text-slate-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-sky-600" aria-hidden />
      {label ?? t("common.loading")}
    </div>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <p className="py-8 text-center text-sm text-slate-500 dark:text-slate-400">{children ?? t("common.empty")}</p>;
}

/** Plain words, the request id to quote, and a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const api = error instanceof ApiError ? error : null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
      <p className="font-medium">{api?.detail ?? t("common.error")}</p>
      {api?.requestId && (
        <p className="mt-1 text-xs opacity-80">
          {t("common.requestId")}: <code>{api.requestId}</code>
        </p>
      )}
      {onRetry && (
        <Button variant="secondary" className="mt-3" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      )}
    </div>
  );
}

/** What QueryStates needs of a TanStack query (plain or infinite). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The states around a table or list, in one place: loading (Spinner), failed (ErrorState, with
 * Try again unless `retry` is false; nothing when `hideError`, e.g. while an unreachable-backend
 * banner says it), then — when there is data — empty (EmptyState with `empty`, when
 * `isEmpty(data)`) or `children(data)`.
 */
export function QueryStates<T>({
  query,
  isEmpty,
  empty,
  retry = true,
  hideError = false,
  children,
}: {
  query: QueryLike<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  retry?: boolean;
  hideError?: boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  const data = query.data;
  return (
    <>
      {query.isError && !hideError && <ErrorState error={query.error} onRetry={retry ? () => void query.refetch() : undefined} />}
      {/* A failed refetch keeps the rows it had, under the error. */}
      {data !== undefined && (isEmpty?.(data) ? <EmptyState>{empty}</EmptyState> : children(data))}
    </>
  );
}
