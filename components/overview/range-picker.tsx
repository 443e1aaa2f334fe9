"use client";

import type { KeyboardEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { RANGES, type Range } from "@/lib/overview/keys";

/** 1h / 6h / 24h / 7d as a radio group: arrow keys move, the choice applies at once. */
export function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const { t } = useI18n();
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const next = RANGES[(RANGES.indexOf(value) + step + RANGES.length) % RANGES.length]!;
    onChange(next);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-range="${next}"]`)?.focus();
  }
  return (
    <div role="radiogroup" aria-label={t("overview.range")} onKeyDown={onKeyDown} className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
      {RANGES.map((r) => (
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={r === value}
          tabIndex={r === value ? 0 : -1}
          data-range={r}
          data-testid={`range-${r}`}
          onClick={() => onChange(r)}
          className={`px-2.5 py-1 text-xs focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
            r === value ? "bg-sky-700 text-white" : "bg-white text-slate-700 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800"
          }`}
        >
          {t(`overview.range.${r}`)}
        </button>
      ))}
    </div>
  );
}
