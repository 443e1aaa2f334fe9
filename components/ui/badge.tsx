import type { HTMLAttributes } from "react";

/** A small label: a metadata pair, an environment label, a subject kind. */
export function Badge({ className = "", ...props }: HTMLAttributes<HTMLSpanElement>) {
  return <span {...props} className={`inline-block rounded bg-slate-100 px-1.5 text-xs dark:bg-slate-800 ${className}`.trim()} />;
}
