"use client";

import { useMemo, useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { diffLines, type DiffLine } from "@/lib/diff";

export type DiffMode = "unified" | "split";

interface Row {
  op: DiffLine["op"];
  text: string;
  /** 1-based line numbers in before / after; null where the line does not exist on that side. */
  a: number | null;
  b: number | null;
}

function numbered(lines: DiffLine[]): Row[] {
  let a = 0;
  let b = 0;
  return lines.map((l) => ({ ...l, a: l.op === "add" ? null : ++a, b: l.op === "del" ? null : ++b }));
}

type Cell = { n: number; text: string; op: DiffLine["op"] } | null;

/** Side by side: unchanged lines on both sides, a run of deletions paired with the run of additions after it. */
function pairs(rows: Row[]): Array<[Cell, Cell]> {
  const out: Array<[Cell, Cell]> = [];
  for (let i = 0; i < rows.length; ) {
    const r = rows[i]!;
    if (r.op === "same") {
      out.push([{ n: r.a!, text: r.text, op: "same" }, { n: r.b!, text: r.text, op: "same" }]);
      i++;
      continue;
    }
    const dels: Row[] = [];
    const adds: Row[] = [];
    while (i < rows.length && rows[i]!.op === "del") dels.push(rows[i++]!);
    while (i < rows.length && rows[i]!.op === "add") adds.push(rows[i++]!);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      const d = dels[k];
      const a = adds[k];
      out.push([d ? { n: d.a!, text: d.text, op: "del" } : null, a ? { n: a.b!, text: a.text, op: "add" } : null]);
    }
  }
  return out;
}

const TONE: Record<DiffLine["op"], string> = {
  add: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  del: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  same: "",
};
const SIGN: Record<DiffLine["op"], string> = { add: "+", del: "-", same: " " };
const NUM = "select-none px-1 text-right text-slate-400 dark:text-slate-500 w-10 align-top";

/**
 * A line diff of two texts (lib/diff.ts), unified or side by side, with line numbers; usable in
 * confirm dialogs. `identicalText` replaces the table when nothing changed.
 */
export function DiffView({
  before,
  after,
  beforeLabel,
  afterLabel,
  mode: initial = "unified",
  toggle = true,
  maxHeight = "18rem",
  testId = "diff-view",
}: {
  before: string;
  after: string;
  beforeLabel?: string;
  afterLabel?: string;
  mode?: DiffMode;
  /** Offer the unified / side-by-side switch. */
  toggle?: boolean;
  maxHeight?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<DiffMode>(initial);
  const rows = useMemo(() => numbered(diffLines(before, after)), [before, after]);
  const added = rows.filter((r) => r.op === "add").length;
  const removed = rows.filter((r) => r.op === "del").length;

  return (
    <div data-testid={testId} data-mode={mode} className="text-sm">
      <div className="mb-1 flex flex-wrap items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
        <span data-testid={`${testId}-summary`}>{t("configs.editor.diffSummary", { added, removed })}</span>
        {(beforeLabel || afterLabel) && (
          <span>
            {beforeLabel ?? ""} → {afterLabel ?? ""}
          </span>
        )}
        {toggle && (
          <span role="group" aria-label={t("configs.editor.diffMode")} className="ml-auto inline-flex overflow-hidden rounded border border-slate-300 dark:border-slate-700">
            {(["unified", "split"] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={mode === m}
                onClick={() => setMode(m)}
                className={`px-2 py-0.5 ${mode === m ? "bg-slate-200 font-medium dark:bg-slate-700" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
              >
                {t(m === "unified" ? "configs.editor.unified" : "configs.editor.split")}
              </button>
            ))}
          </span>
        )}
      </div>
      <div style={{ maxHeight }} className="overflow-auto rounded border border-slate-200 bg-slate-50 font-mono text-xs dark:border-slate-800 dark:bg-slate-950">
        {added === 0 && removed === 0 ? (
          <p className="p-2 font-sans text-slate-600 dark:text-slate-400">{t("configs.editor.identical")}</p>
        ) : mode === "unified" ? (
          <table className="w-full border-collapse">
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-op={r.op} className={TONE[r.op]}>
                  <td className={NUM}>{r.a ?? ""}</td>
                  <td className={NUM}>{r.b ?? ""}</td>
                  <td className="whitespace-pre-wrap break-all px-1">
                    <span aria-hidden className="select-none">{SIGN[r.op]} </span>
                    <span className="sr-only">{r.op === "add" ? t("configs.editor.added") : r.op === "del" ? t("configs.editor.removed") : ""}</span>
                    {r.text}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <table className="w-full table-fixed border-collapse">
            <colgroup>
              <col className="w-10" />
              <col />
              <col className="w-10" />
              <col />
            </colgroup>
            <tbody>
              {pairs(rows).map(([l, r], i) => (
                <tr key={i}>
                  <td className={NUM}>{l?.n ?? ""}</td>
                  <td data-op={l?.op ?? "none"} className={`whitespace-pre-wrap break-all px-1 ${l ? TONE[l.op] : "bg-slate-100 dark:bg-slate-900"}`}>
                    {l?.text ?? ""}
                  </td>
                  <td className={`${NUM} border-l border-slate-200 dark:border-slate-800`}>{r?.n ?? ""}</td>
                  <td data-op={r?.op ?? "none"} className={`whitespace-pre-wrap break-all px-1 ${r ? TONE[r.op] : "bg-slate-100 dark:bg-slate-900"}`}>
                    {r?.text ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
