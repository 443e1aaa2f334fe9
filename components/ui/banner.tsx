import type { HTMLAttributes } from "react";

export type Tone = "error" | "warning" | "success" | "info";

const BANNER: Record<Tone, string> = {
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  warning: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  success: "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
};

/** A boxed message above or inside a panel: backend down, a conflict, a secret to copy. */
export function Banner({ tone, className = "", ...props }: HTMLAttributes<HTMLDivElement> & { tone: Tone }) {
  return <div {...props} className={`rounded-md border p-3 text-sm ${BANNER[tone]} ${className}`.trim()} />;
}
