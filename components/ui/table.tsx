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
