"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import type { RouteStatusView } from "@/lib/gateway/views";
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";

const TONE: Record<string, string> = {
  True: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  False: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  Unknown: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};

/** Accepted / ResolvedRefs per parent, as the gateway controller reported them (Unknown: no report yet). */
export function RouteStatusBadges({ status }: { status: RouteStatusView[] }) {
  const { t } = useI18n();
  if (!status.length) return <span className="text-xs text-slate-500 dark:text-slate-400">{t("gateway.status.none")}</span>;
  return (
    <div className="flex flex-col gap-1">
      {status.map((s) => (
        <div key={s.parent} className="flex flex-wrap items-center gap-1 text-xs" title={s.conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`).join("\n")}>
          <span className={`rounded px-1.5 ${TONE[s.accepted] ?? TONE.Unknown}`} data-testid="status-accepted">
            {t("gateway.status.accepted")}: {s.accepted}
          </span>
          <span className={`rounded px-1.5 ${TONE[s.resolvedRefs] ?? TONE.Unknown}`}>
            {t("gateway.status.resolvedRefs")}: {s.resolvedRefs}
          </span>
        </div>
      ))}
    </div>
  );
}

/** The SY-G findings of a route, in the user's language. */
export function IssueList({ issues }: { issues: ObjectIssue[] }) {
  const { t, locale } = useI18n();
  if (!issues.length) return <p className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="issues-none">{t("gateway.issues.none")}</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="issues">
      {issues.map((i, n) => (
        <li key={n} className={`rounded border px-2 py-1 ${i.severity === "error" ? "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100" : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"}`}>
          <code className="mr-2 text-xs">{i.ruleId}</code>
          <span className="mr-2 text-xs uppercase">{i.severity === "error" ? t("gateway.issues.error") : t("gateway.issues.warning")}</span>
          {locale === "zh-CN" ? i.messageZh : i.message}
          {i.line ? <span className="ml-2 text-xs opacity-70">{t("gateway.issues.line", { line: i.line })}</span> : null}
          <span className="ml-2 text-xs opacity-70">{i.path}</span>
        </li>
      ))}
    </ul>
  );
}

/** A weight as a bar with its share of the rule, for lists and the map. */
export function WeightBar({ weight, total, drained = false }: { weight: number; total: number; drained?: boolean }) {
  const pct = total > 0 ? Math.round((1000 * weight) / total) / 10 : 0;
  return (
    <span className="inline-flex items-center gap-1 align-middle" title={`${weight} / ${total}`}>
      <span className="inline-block h-2 w-16 overflow-hidden rounded bg-slate-200 dark:bg-slate-700" aria-hidden>
        <span className={`block h-full ${drained ? "bg-slate-400" : "bg-sky-600 dark:bg-sky-400"}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="tabular-nums text-xs">{pct}%</span>
    </span>
  );
}
