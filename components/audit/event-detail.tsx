"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { OutcomeBadge, PhaseLabel } from "@/components/ui/outcome-badge";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { ErrorState, Spinner } from "@/components/ui/states";
import { useAuditEvent } from "@/lib/audit/hooks";
import type { AuditEventView } from "@/lib/audit/query";
import { diffLines, stableJson } from "@/lib/diff";

type FullEvent = Omit<AuditEventView, "actorRoles"> & { actorRoles: Array<{ role: string; env: string; ns: string; via: string }> };

export function EventDetail({ id, onClose, onSelect }: { id: number; onClose: () => void; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const q = useAuditEvent<FullEvent>(id);
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose, id]);

  return (
    <aside
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-label={t("audit.detail", { id })}
      data-testid="audit-detail"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm outline-none dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">{t("audit.detail", { id })}</h2>
        <Button variant="ghost" onClick={onClose}>
          {t("audit.close")}
        </Button>
      </div>
      {q.isPending && <Spinner />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && <EventBody event={q.data.event} related={q.data.related} onSelect={onSelect} />}
    </aside>
  );
}

function EventBody({ event: e, related, onSelect: select }: { event: FullEvent; related: FullEvent[]; onSelect: (id: number) => void }) {
const { t } = useI18n();
  const before = stableJson(e.before);
  const after = stableJson(e.after);
  const lines = diffLines(before, after);
  const row = (label: string, value: ReactNode) => (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{value}</dd>
    </div>
  );
  return (
    <div className="mt-3 space-y-4 text-sm">
      <dl>
        {row(t("audit.time"), e.createdAt)}
        {row(t("audit.who"), `${e.actorName} (${e.actorSource}) · ${e.actorId}`)}
        {row(
          t("audit.rolesAtTime"),
          e.actorRoles?.length ? e.actorRoles.map((r) => `${r.role} [env ${r.env}, ns ${r.ns}] via ${r.via}`).join("; ") : "—",
        )}
        {e.tokenId && row(t("audit.token"), e.tokenId)}
        {row(
          t("audit.what"),
          <span className="flex flex-wrap items-center gap-2">
            <code className="text-xs">{e.action}</code> <PhaseLabel phase={e.phase} /> <OutcomeBadge outcome={e.outcome} />
          </span>,
        )}
        {row(t("audit.where"), [e.environment, e.namespace, e.targetKind, e.targetName].filter(Boolean).join(" / ") || "—")}
        {(e.versionBefore || e.versionAfter) && row(t("audit.versions"), `${e.versionBefore ?? "—"} → ${e.versionAfter ?? "—"}`)}
        {row(t("audit.client"), `${e.clientIp ?? "—"} · ${e.userAgent ?? "—"}`)}
        {row(t("audit.requestId"), <code className="text-xs">{e.requestId}</code>)}
        {row("SHA-256", <code className="break-all text-xs">{e.hash}</code>)}
      </dl>
      <section>
        <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">{t("audit.change")}</h3>
        {lines.length === 0 ? (
          <p className="text-slate-500">{t("audit.noChange")}</p>
        ) : (
          <pre data-testid="audit-diff" className="max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
            {lines.map((l, i) => (
              <div
                key={i}
                className={l.op === "add" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : l.op === "del" ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" : ""}
              >
                {l.op === "add" ? "+ " : l.op === "del" ? "- " : "  "}
                {l.text}
              </div>
            ))}
          </pre>
        )}
      </section>
      {e.detail !== null && e.detail !== undefined && (
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">{t("audit.details")}</h3>
          <pre className="max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">{stableJson(e.detail)}</pre>
        </section>
      )}
      {related.length > 0 && (
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">{t("audit.related")}</h3>
          <ul className="space-y-1">
            {related.map((r) => (
              <li key={r.id}>
                <button type="button" className="text-sky-700 underline dark:text-sky-400" onClick={() => select(r.id)}>
                  #{r.id} {r.phase} {r.outcome ?? ""} · {r.createdAt}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
