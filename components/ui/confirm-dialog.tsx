"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { diffLines } from "@/lib/diff";

/** What the change does: before → after text shown as a line diff, or a diff view of the caller's own. */
type ConfirmDiff = { before: string; after: string; diff?: never } | { diff: ReactNode; before?: never; after?: never };

const WIDTHS = { default: "w-[36rem]", wide: "w-[56rem]" } as const;

/**
 * Every change is confirmed with what it will do, shown as a diff (before → after, or `diff`:
 * a diff view of the caller's, e.g. the configs editor's side-by-side one). Focus starts on
 * Cancel; Escape cancels; the dialog is modal. While `pending` the confirm button is busy.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  pending = false,
  confirmDisabled = false,
  size = "default",
  error,
  onConfirm,
  onCancel,
  ...change
}: ConfirmDiff & {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  /** While the form inside is invalid or a required acknowledgement is missing. */
  confirmDisabled?: boolean;
  /** "wide" for side-by-side diffs. */
  size?: keyof typeof WIDTHS;
  error?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="confirm-dialog"
      className={`m-auto ${WIDTHS[size]} max-w-[95vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-2 text-sm">{children}</div>}
      {change.diff !== undefined ? <div className="mt-3">{change.diff}</div> : <LineDiff before={change.before ?? ""} after={change.after ?? ""} />}
      {error && <div className="mt-3">{error}</div>}
      <div className="mt-4 flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} autoFocus>
          {t("access.cancel")}
        </Button>
        <Button variant={danger ? "danger" : "primary"} onClick={onConfirm} disabled={pending || confirmDisabled} data-testid="confirm-action">
          {pending ? t("common.saving") : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

function LineDiff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  return (
    <pre data-testid="confirm-diff" className="mt-3 max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
      {lines.map((l, i) => (
        <div key={i} className={l.op === "add" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : l.op === "del" ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" : ""}>
          {l.op === "add" ? "+ " : l.op === "del" ? "- " : "  "}
          {l.text}
        </div>
      ))}
    </pre>
  );
}
