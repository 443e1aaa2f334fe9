"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

/**
 * The bar above a server-side paged list (services, configs): its fields, filter toggles and
 * actions in one row of one height, every control centred on the same line (issue #11: the
 * uneven toolbar), wrapping when the page is narrow.
 */
export function ListToolbar({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-3" data-testid={testId}>
      {children}
    </div>
  );
}

/**
 * A Button in the toolbar at the fields' height (Button's own py-2 would win over a plain py-1.5
 * in the generated CSS, so the override is marked important).
 */
export const TOOLBAR_BUTTON = "py-1.5!";

/** A labelled control in the toolbar: the label before the field, both on the row's line. */
export function ToolbarField({ label, hidden = false, children }: { label: ReactNode; hidden?: boolean; children: ReactNode }) {
  return (
    <label className={`flex items-center gap-2 whitespace-nowrap text-sm ${hidden ? "hidden" : ""}`.trim()}>
      {label}
      {children}
    </label>
  );
}

const TOGGLE_TONE = {
  danger: "border-red-600 bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200",
  warning: "border-amber-600 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
} as const;

/** A filter that is on or off ("unhealthy only", "has a gray release"): aria-pressed, and ✕ while on. */
export function FilterToggle({ pressed, onToggle, tone, testId, children }: { pressed: boolean; onToggle: () => void; tone: keyof typeof TOGGLE_TONE; testId: string; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      data-testid={testId}
      onClick={onToggle}
      className={`whitespace-nowrap rounded-md border px-3 py-1.5 text-sm ${pressed ? TOGGLE_TONE[tone] : "border-slate-300 dark:border-slate-700"}`}
    >
      {pressed ? "✕ " : ""}
      {children}
    </button>
  );
}

/** One page of a server-side paged list, as the list routes answer it. */
export interface ListPage<T> {
  items: T[];
  pages: number;
  total: number;
}

/**
 * A CSV cell per RFC 4180, with spreadsheet formula injection neutralized (docs/security.md §23):
 * a cell that starts with = + - @, tab or CR is prefixed with a single quote.
 */
function csvCell(v: unknown): string {
  const s = String(v ?? "");
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The header and the rows as CSV lines joined by CRLF. */
export function toCsv<T>(header: string[], rows: T[], row: (r: T) => unknown[]): string {
  return [header.join(","), ...rows.map((r) => row(r).map(csvCell).join(","))].join("\r\n");
}

/**
 * "Export CSV" of a whole list: every page (with the search, filter and sort on screen), fetched
 * one after another with progress, then saved as `filename`. `run` starts it; `error` is the last
 * failure (shown by the caller, e.g. with <ErrorState>).
 */
export function useCsvExport<T>({ fetchPage, header, row, filename }: { fetchPage: (page: number) => Promise<ListPage<T>>; header: string[]; row: (r: T) => unknown[]; filename: string }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(): Promise<void> {
    setError(null);
    const rows: T[] = [];
    try {
      for (let p = 1, pages = 1; p <= pages; p++) {
        const r = await fetchPage(p);
        rows.push(...r.items);
        pages = r.pages;
        setProgress({ done: rows.length, total: r.total });
      }
      const url = URL.createObjectURL(new Blob([toCsv(header, rows, row)], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  }
  return { progress, error, run };
}

export type CsvExport = ReturnType<typeof useCsvExport>;

/** The toolbar's "Export CSV" button for a `useCsvExport`: busy, with progress, while it runs. */
export function ExportCsvButton({ csv, label, busyLabel, testId }: { csv: CsvExport; label: string; busyLabel: (progress: { done: number; total: number }) => string; testId: string }) {
  return (
    <Button variant="secondary" className={TOOLBAR_BUTTON} disabled={csv.progress !== null} onClick={() => void csv.run()} data-testid={testId}>
      {csv.progress ? busyLabel(csv.progress) : label}
    </Button>
  );
}

/** The export's failure, under the toolbar. */
export function ExportError({ csv }: { csv: CsvExport }) {
  return csv.error !== null ? <ErrorState error={csv.error} /> : null;
}
