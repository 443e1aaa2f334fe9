import type { HTMLAttributes } from "react";

const BADGE_TONE = {
  neutral: "bg-slate-100 dark:bg-slate-800",
  success: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  danger: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
} as const;

export type BadgeTone = keyof typeof BADGE_TONE;

/** A small label: a metadata pair, an environment label, a subject kind; `tone` colours a state (a gray release, a failure). */
export function Badge({ tone = "neutral", className = "", ...props }: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return <span {...props} className={`inline-block rounded px-1.5 text-xs ${BADGE_TONE[tone]} ${className}`.trim()} />;
}
