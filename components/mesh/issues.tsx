"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";

const BADGE: Record<"error" | "warning" | "ok", string> = {
  error: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
  warning: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200",
  ok: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
};

/** errors / warnings / ok, in words and colour (never colour alone). */
export function ValidationBadge({ badge, errors = 0, warnings = 0 }: { badge: "error" | "warning" | "ok"; errors?: number; warnings?: number }) {
  const { t } = useI18n();
  const label = badge === "error" ? t("mesh.badge.errorsN", { n: errors }) : badge === "warning" ? t("mesh.badge.warningsN", { n: warnings }) : t("mesh.badge.ok");
  return (
    <span data-testid="validation-badge" data-badge={badge} className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${BADGE[badge]}`}>
      <span aria-hidden>{badge === "error" ? "✕" : badge === "warning" ? "!" : "✓"}</span>
      {label}
    </span>
  );
}

/** Each issue with its rule id, severity, path, line and message in the reader's language. */
export function IssueList({ issues, empty }: { issues: ObjectIssue[]; empty?: string }) {
  const { t, locale } = useI18n();
  if (issues.length === 0) return empty ? <p className="text-sm text-emerald-800 dark:text-emerald-300">{empty}</p> : null;
  return (
    <ul className="space-y-1 text-sm" data-testid="issue-list">
      {issues.map((i, n) => (
        <li key={n} className="flex flex-wrap items-baseline gap-2" data-rule={i.ruleId}>
          <span className={`rounded px-1.5 text-xs font-semibold ${i.severity === "error" ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200"}`}>
            {i.severity === "error" ? t("mesh.severity.error") : i.severity === "warning" ? t("mesh.severity.warning") : t("mesh.severity.info")}
          </span>
          <code className="text-xs text-slate-500">{i.ruleId}</code>
          {i.object && <span className="text-xs text-slate-500">{i.object.kind}/{i.object.name}</span>}
          {i.line !== undefined && <span className="text-xs text-slate-500">{t("mesh.issue.line", { line: i.line })}</span>}
          <code className="text-xs">{i.path}</code>
          <span>{locale === "zh-CN" ? i.messageZh : i.message}</span>
        </li>
      ))}
    </ul>
  );
}
