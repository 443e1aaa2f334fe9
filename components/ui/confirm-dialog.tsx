"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { diffLines } from "@/lib/diff";

/**
 * Every change is confirmed with what it will do, shown as a diff (before → after). Focus
 * starts on Cancel; Escape cancels; the dialog is modal.
 */
export function ConfirmDialog({
  title,
  before,
  after,
  children,
  confirmLabel,
  danger = false,
  pending = false,
  confirmDisabled = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  before: string;
  after: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  /** While the form inside is invalid or a required acknowledgement is missing. */
  confirmDisabled?: boolean;
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
  const lines = diffLines(before, after);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="confirm-dialog"
      className="m-auto w-[36rem] max-w-[95vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-2 text-sm">{children}</div>}
      <pre data-testid="confirm-diff" className="mt-3 max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
        {lines.map((l, i) => (
          <div key={i} className={l.op === "add" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : l.op === "del" ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" : ""}>
            {l.op === "add" ? "+ " : l.op === "del" ? "- " : "  "}
            {l.text}
          </div>
        ))}
      </pre>
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
