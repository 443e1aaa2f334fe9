"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";

/**
 * An audit outcome or phase as a badge, in the reader's language; the stored value stays in the
 * title (and in exports). One primitive for the explorer, the event detail and any activity list.
 */
export const OUTCOME_STYLE: Record<string, string> = {
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  conflict: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  denied: "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-900 dark:text-fuchsia-100",
  partial: "bg-orange-100 text-orange-900 dark:bg-orange-900 dark:text-orange-100",
  unknown: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
};

const OUTCOME_LABEL: Record<string, MessageKey> = {
  succeeded: "audit.outcome.succeeded",
  failed: "audit.outcome.failed",
  conflict: "audit.outcome.conflict",
  denied: "audit.outcome.denied",
  partial: "audit.outcome.partial",
  unknown: "audit.outcome.unknown",
};
const PHASE_LABEL: Record<string, MessageKey> = { intent: "audit.phase.intent", outcome: "audit.phase.outcome" };

/** An outcome in the reader's language; the stored value stays in the title (and in exports). */
export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  const { t } = useI18n();
  if (!outcome) return null;
  const label = OUTCOME_LABEL[outcome];
  return (
    <span title={outcome} className={`rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_STYLE[outcome] ?? ""}`}>
      {label ? t(label) : outcome}
    </span>
  );
}

export function PhaseLabel({ phase }: { phase: string }) {
  const { t } = useI18n();
  const label = PHASE_LABEL[phase];
  return <span title={phase}>{label ? t(label) : phase}</span>;
}
