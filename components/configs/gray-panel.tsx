"use client";

import { useState } from "react";
import { DiffConfirm } from "@/components/configs/diff-confirm";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { EmptyState, ErrorState, QueryStates } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { fetchGrayPreview, useGrayAction, useGrayStatus } from "@/lib/configs/hooks";
import type { ConfigDetailView, GrayPreview, GrayRule } from "@/lib/configs/views";

type Kind = GrayRule["kind"];
interface RuleForm {
  kind: Kind;
  ips: string;
  service: string;
  serviceGroup: string;
  selector: string;
  percentage: string;
  count: string;
}

const EMPTY: RuleForm = { kind: "labels", ips: "", service: "", serviceGroup: "DEFAULT_GROUP", selector: "", percentage: "10", count: "1" };

/** The rule as the API's body takes it (the server validates again; the preview names problems). */
function toRule(f: RuleForm): Record<string, unknown> {
  const service = { service: f.service.trim(), serviceGroup: f.serviceGroup.trim() || "DEFAULT_GROUP" };
  if (f.kind === "ips") return { kind: "ips", ips: f.ips.split(/[\s,]+/).filter(Boolean) };
  if (f.kind === "labels") {
    const selector: Record<string, string> = {};
    for (const term of f.selector.split(",").map((s) => s.trim()).filter(Boolean)) {
      const i = term.indexOf("=");
      if (i > 0) selector[term.slice(0, i).trim()] = term.slice(i + 1).trim();
    }
    return { kind: "labels", ...service, selector };
  }
  if (f.kind === "percentage") return { kind: "percentage", ...service, percentage: Number(f.percentage) };
  return { kind: "count", ...service, count: Number(f.count) };
}

function toQuery(f: RuleForm): Record<string, string> {
  const q: Record<string, string> = { kind: f.kind };
  if (f.kind === "ips") q.ips = f.ips;
  else {
    q.service = f.service.trim();
    q.serviceGroup = f.serviceGroup.trim() || "DEFAULT_GROUP";
    if (f.kind === "labels") q.selector = f.selector;
    if (f.kind === "percentage") q.percentage = f.percentage;
    if (f.kind === "count") q.count = f.count;
  }
  return q;
}

function fromRule(r: GrayRule): RuleForm {
  if (r.kind === "ips") return { ...EMPTY, kind: "ips", ips: r.ips.join(", ") };
  const base = { ...EMPTY, kind: r.kind, service: r.service, serviceGroup: r.serviceGroup };
  if (r.kind === "labels") return { ...base, selector: Object.entries(r.selector).map(([k, v]) => `${k}=${v}`).join(", ") };
  if (r.kind === "percentage") return { ...base, percentage: String(r.percentage) };
  return { ...base, count: String(r.count) };
}

/** Rule fields and "Resolve IPs": the resolved IPs are shown before anything can be confirmed. */
function RuleEditor({ detail, form, setForm, preview, setPreview }: { detail: ConfigDetailView; form: RuleForm; setForm: (f: RuleForm) => void; preview: GrayPreview | null; setPreview: (p: GrayPreview | null) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const set = (patch: Partial<RuleForm>) => (setForm({ ...form, ...patch }), setPreview(null));
  async function resolve() {
    setError(null);
    setLoading(true);
    try {
      setPreview(await fetchGrayPreview(detail.environment, detail.namespace, detail.group, detail.dataId, toQuery(form)));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }
  return (
    <div className="space-y-2" data-testid="gray-rule">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs">
          {t("configs.gray.rule")}
          <Select className="ml-2" value={form.kind} onChange={(e) => set({ kind: e.target.value as Kind })} data-testid="gray-kind">
            <option value="labels">{t("configs.gray.ruleLabels")}</option>
            <option value="percentage">{t("configs.gray.rulePercentage")}</option>
            <option value="count">{t("configs.gray.ruleCount")}</option>
            <option value="ips">{t("configs.gray.ruleIps")}</option>
          </Select>
        </label>
        {form.kind === "ips" ? (
          <label className="text-xs">
            {t("configs.gray.ips")}
            <Input className="ml-2 w-80" value={form.ips} onChange={(e) => set({ ips: e.target.value })} data-testid="gray-ips" />
          </label>
        ) : (
          <>
            <label className="text-xs">
              {t("configs.gray.service")}
              <Input className="ml-2 w-48" value={form.service} onChange={(e) => set({ service: e.target.value })} data-testid="gray-service" />
            </label>
            <label className="text-xs">
              {t("configs.gray.serviceGroup")}
              <Input className="ml-2 w-36" value={form.serviceGroup} onChange={(e) => set({ serviceGroup: e.target.value })} />
            </label>
            {form.kind === "labels" && (
              <label className="text-xs">
                {t("configs.gray.selector")}
                <Input className="ml-2 w-56" value={form.selector} onChange={(e) => set({ selector: e.target.value })} placeholder="version=v2" data-testid="gray-selector" />
              </label>
            )}
            {form.kind === "percentage" && (
              <label className="text-xs">
                {t("configs.gray.percentage")}
                <Input className="ml-2 w-20" inputMode="decimal" value={form.percentage} onChange={(e) => set({ percentage: e.target.value })} data-testid="gray-percentage" />
              </label>
            )}
            {form.kind === "count" && (
              <label className="text-xs">
                {t("configs.gray.count")}
                <Input className="ml-2 w-20" inputMode="numeric" value={form.count} onChange={(e) => set({ count: e.target.value })} data-testid="gray-count" />
              </label>
            )}
          </>
        )}
        <Button variant="secondary" onClick={() => void resolve()} disabled={loading} data-testid="gray-resolve">
          {t("configs.gray.resolve")}
        </Button>
      </div>
      {error !== null && <ErrorState error={error} />}
      {preview && (
        <div className="text-sm" data-testid="gray-resolved">
          {preview.ips.length === 0 ? (
            <p className="text-red-700 dark:text-red-300">{t("configs.gray.resolvedNone")}</p>
          ) : (
            <>
              <p>{t("configs.gray.resolved", { count: preview.ips.length, candidates: preview.candidates || preview.ips.length })}</p>
              <p className="mt-1 flex flex-wrap gap-1">
                {preview.ips.map((ip) => (
                  <Badge key={ip} className="font-mono">
                    {ip}
                  </Badge>
                ))}
              </p>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The gray release of a config: start one from an edited draft by rule (IPs resolved and shown
 * before confirming), then its status — every listening instance and whether it holds the gray
 * or the formal md5, "n of m on gray", refreshing — and widen, promote or abort.
 */
export function GrayPanel({
  detail,
  draft,
  canGray,
  canPublish,
  onDone,
  done,
  setDone,
}: {
  detail: ConfigDetailView;
  draft: { content: string; type: string } | null;
  canGray: boolean;
  canPublish: boolean;
  onDone: () => void;
  /** The last action's message, kept by the page: the panel is re-created when the release starts or ends. */
  done: string | null;
  setDone: (message: string | null) => void;
}) {
  const { t, locale } = useI18n();
  const status = useGrayStatus(detail.environment, detail.namespace, detail.group, detail.dataId, 5_000);
  const action = useGrayAction(detail.environment, detail.namespace, detail.group, detail.dataId);
  const [form, setForm] = useState<RuleForm>(detail.gray ? fromRule(detail.gray.rule) : EMPTY);
  const [preview, setPreview] = useState<GrayPreview | null>(null);
  const [deadline, setDeadline] = useState("");
  const [confirm, setConfirm] = useState<"start" | "widen" | "promote" | "abort" | null>(null);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
  const gray = detail.gray;
  const deadlineOk = deadline === "" || (/^\d+$/.test(deadline) && Number(deadline) >= 1 && Number(deadline) <= 10_080);

  function run(kind: "start" | "widen" | "promote" | "abort") {
    setDone(null);
    const body: Record<string, unknown> =
      kind === "start"
        ? { type: draft!.type, content: draft!.content, rule: toRule(form), expectedIps: preview?.ips, baseMd5: detail.formal?.md5, ...(deadline ? { deadlineMinutes: Number(deadline) } : {}) }
        : kind === "widen"
          ? { grayId: gray!.id, rule: toRule(form), expectedIps: preview?.ips }
          : kind === "promote"
            ? { grayId: gray!.id, casMd5: detail.formal!.md5 }
            : { grayId: gray!.id };
    action.mutate(
      { action: kind, body },
      {
        onSuccess: (r) => {
          setConfirm(null);
          setPreview(null);
          const ips = (r.ips as string[] | undefined)?.length ?? 0;
          setDone(
            kind === "start"
              ? t("configs.gray.started", { count: ips })
              : kind === "widen"
                ? t("configs.gray.widened", { count: ips })
                : kind === "promote"
                  ? t("configs.gray.promoted", { formal: String(r.formalMd5 ?? "—").slice(0, 12) })
                  : t("configs.gray.aborted"),
          );
          if (kind === "start" || kind === "promote") onDone();
        },
      },
    );
  }

  return (
    <div className="space-y-4" data-testid="gray-panel">
      {done && (
        <Banner tone="success" role="status" data-testid="gray-done">
          {done}
        </Banner>
      )}
      {!gray && status.data?.betaMd5 && <Banner tone="warning">{t("configs.gray.betaOutside", { ips: status.data.betaIps.join(", ") })}</Banner>}
      {gray ? (
        <section className="space-y-2">
          <p className="text-sm">
            {t("configs.gray.createdBy", { creator: gray.creator, time: fmt.format(new Date(gray.createdAt)) })}
            {gray.deadline && <span className="ml-2 text-amber-700 dark:text-amber-300">· {t("configs.gray.deadlineAt", { time: fmt.format(new Date(gray.deadline)) })}</span>}
          </p>
          <p className="flex flex-wrap gap-1">
            {gray.ips.map((ip) => (
              <Badge key={ip} className="font-mono">
                {ip}
              </Badge>
            ))}
          </p>
        </section>
      ) : !draft ? (
        <EmptyState>{canGray ? t("configs.gray.needDraft") : t("configs.gray.none")}</EmptyState>
      ) : null}

      <section className="space-y-2" data-testid="gray-status">
        <h3 className="text-sm font-semibold">
          {t("configs.gray.status")} <span className="ml-2 text-xs font-normal text-slate-500">{t("configs.gray.autoRefresh")}</span>
        </h3>
        <QueryStates query={status} isEmpty={(s) => s.total === 0} empty={t("configs.gray.noListeners")}>
          {(s) => (
            <>
              <p className="text-sm font-medium" data-testid="gray-count">
                {t("configs.gray.onGray", { n: s.onGray, m: s.total })}
              </p>
              <DataTable testId="gray-listeners" columns={[t("configs.gray.listener"), t("configs.gray.holds"), "md5"]}>
                {s.listeners.map((l) => (
                  <tr key={l.ip} className="border-t border-slate-100 dark:border-slate-800" data-testid="gray-listener" data-holds={l.holds}>
                    <td className="px-2 py-1 font-mono text-xs">{l.ip}</td>
                    <td className="px-2 text-xs">
                      <Badge tone={l.holds === "gray" ? "warning" : "neutral"}>
                        {t(l.holds === "gray" ? "configs.gray.holdsGray" : l.holds === "formal" ? "configs.gray.holdsFormal" : "configs.gray.holdsOther")}
                      </Badge>
                    </td>
                    <td className="px-2 font-mono text-xs text-slate-500">{l.md5.slice(0, 12)}</td>
                  </tr>
                ))}
              </DataTable>
            </>
          )}
        </QueryStates>
      </section>

      {canGray && (gray || draft) && (
        <section className="space-y-3 rounded border border-slate-200 p-3 dark:border-slate-800">
          <RuleEditor detail={detail} form={form} setForm={setForm} preview={preview} setPreview={setPreview} />
          {!gray && (
            <label className="block text-xs">
              {t("configs.gray.deadline")}
              <Input className="ml-2 w-24" inputMode="numeric" value={deadline} onChange={(e) => setDeadline(e.target.value)} aria-invalid={!deadlineOk} data-testid="gray-deadline" />
            </label>
          )}
          <div className="flex flex-wrap gap-2">
            {!gray ? (
              <Button onClick={() => (action.reset(), setConfirm("start"))} disabled={!preview || preview.ips.length === 0 || !deadlineOk} data-testid="gray-start">
                {t("configs.gray.start")}
              </Button>
            ) : (
              <>
                <Button variant="secondary" onClick={() => (action.reset(), setConfirm("widen"))} disabled={!preview || preview.ips.length === 0} data-testid="gray-widen">
                  {t("configs.gray.widen")}
                </Button>
                {canPublish && detail.formal && (
                  <Button onClick={() => (action.reset(), setConfirm("promote"))} data-testid="gray-promote">
                    {t("configs.gray.promote")}
                  </Button>
                )}
                <Button variant="danger" onClick={() => (action.reset(), setConfirm("abort"))} data-testid="gray-abort">
                  {t("configs.gray.abort")}
                </Button>
              </>
            )}
          </div>
        </section>
      )}

      {confirm && (
        <DiffConfirm
          title={
            confirm === "start"
              ? t("configs.gray.confirmStart", { count: preview?.ips.length ?? 0 })
              : confirm === "widen"
                ? t("configs.gray.confirmWiden", { count: preview?.ips.length ?? 0 })
                : confirm === "promote"
                  ? t("configs.gray.confirmPromote")
                  : t("configs.gray.confirmAbort")
          }
          before={confirm === "widen" ? (gray?.ips ?? []).join("\n") : confirm === "abort" ? (gray?.content ?? "") : (detail.formal?.content ?? "")}
          after={confirm === "start" ? (draft?.content ?? "") : confirm === "widen" ? (preview?.ips ?? []).join("\n") : confirm === "abort" ? (detail.formal?.content ?? "") : (gray?.content ?? "")}
          confirmLabel={t(confirm === "start" ? "configs.gray.start" : confirm === "widen" ? "configs.gray.widen" : confirm === "promote" ? "configs.gray.promote" : "configs.gray.abort")}
          danger={confirm === "abort" || (confirm === "promote" && detail.prod)}
          pending={action.isPending}
          error={action.isError ? <ErrorState error={action.error} /> : undefined}
          onConfirm={() => run(confirm)}
          onCancel={() => setConfirm(null)}
        >
          {(confirm === "start" || confirm === "widen") && preview && <p className="font-mono text-xs">{preview.ips.join(", ")}</p>}
        </DiffConfirm>
      )}
    </div>
  );
}
