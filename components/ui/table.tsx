import type { ReactNode } from "react";

export interface Sort<K extends string> {
  key: K;
  desc: boolean;
}

/**
 * A table header cell that sorts by its column: a click sorts by it (descending first when
 * `firstDesc`, as for counts), a second click reverses, a third clears. aria-sort says which.
 */
export function SortHeader<K extends string>({
  label,
  k,
  sort,
  onSort,
  right = false,
  firstDesc = false,
}: {
  label: string;
  k: K;
  sort: Sort<K> | null;
  onSort: (v: Sort<K> | null) => void;
  right?: boolean;
  firstDesc?: boolean;
}) {
  const active = sort?.key === k;
  return (
    <th className={`px-2 py-2 ${right ? "text-right" : ""}`} aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        data-testid={`sort-${k}`}
        className="inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-slate-100"
        onClick={() => onSort(!active ? { key: k, desc: firstDesc } : sort.desc === firstDesc ? { key: k, desc: !sort.desc } : null)}
      >
        {label}
        <span aria-hidden>{active ? (sort.desc ? "▼" : "▲") : "↕"}</span>
      </button>
    </th>
  );
}

/** A long table's height before it scrolls inside its frame (the header row stays in view). */
const SCROLL = { "28rem": "max-h-[28rem]", "32rem": "max-h-[32rem]" } as const;

/**
 * A list's table in its bordered frame: a header row of `columns` (small capitals) above the
 * rows given as children (<tr>…</tr>). Scrolls sideways when the page is narrow; with
 * `maxHeight`, downwards too, under a header that stays in view.
 */
export function DataTable({ testId, columns, maxHeight, children }: { testId: string; columns: ReactNode[]; maxHeight?: keyof typeof SCROLL; children: ReactNode }) {
  return (
    <div className={`overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 ${maxHeight ? SCROLL[maxHeight] : ""}`.trim()}>
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className={`bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400 ${maxHeight ? "sticky top-0" : ""}`.trim()}>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className="px-2 py-2">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The header row of a plain (unframed) table: small capitals; an empty label leaves the cell blank (an actions column). */
export function TableHead({ columns }: { columns: ReactNode[] }) {
  return (
    <thead className="text-xs uppercase text-slate-500">
      <tr>
        {columns.map((c, i) => (
          <th key={i} className={i === 0 ? "py-1" : undefined}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
