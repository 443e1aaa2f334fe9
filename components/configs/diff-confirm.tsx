"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";

/**
 * Every publish is confirmed with the diff it makes (published → new), unified or side by side.
 * Focus starts on Cancel; Escape cancels; the dialog is modal.
 */
export function DiffConfirm({
  title,
  before,
  after,
  beforeLabel,
  afterLabel,
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
  beforeLabel?: string;
  afterLabel?: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
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
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="confirm-dialog"
      className="m-auto w-[56rem] max-w-[95vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-2 text-sm">{children}</div>}
      <div className="mt-3">
        <DiffView before={before} after={after} beforeLabel={beforeLabel} afterLabel={afterLabel} maxHeight="24rem" testId="confirm-diff" />
      </div>
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
