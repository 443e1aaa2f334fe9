"use client";

import { useState, type ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { UnreachableBanner } from "@/components/services/unreachable-banner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input, Textarea } from "@/components/ui/input";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useServiceDetail, useUpdateInstance } from "@/lib/registry/hooks";
import type { DubboEndpoint } from "@/lib/registry/service-views";
import type { MessageKey } from "@/lib/i18n/messages";
import type { NacosServiceInstance } from "@/lib/nacos/schemas";

type Instance = NacosServiceInstance;
/**
 * One instance change as the operator is composing it. The weight stays the text typed —
 * never coerced — until it is valid; `instance` holds the values the operator saw, sent as
 * the change's expectation so a concurrent change is never overwritten blindly.
 */
type Change = { instance: Instance; weightText?: string; enabled?: boolean; metadataText?: string; acknowledged?: boolean };
type Notice = { ok: boolean; text: string };

const WEIGHT_RE = /^\d{1,5}(\.\d{1,2})?$/;

/** Why a typed weight is not acceptable, as a message key; null when it is. */
export function weightProblem(text: string): MessageKey | null {
  const v = text.trim();
  if (v === "") return "svc.weightRequired";
  if (!WEIGHT_RE.test(v)) return "svc.weightNotNumber";
  const n = Number(v);
  if (!(n >= 0 && n <= 10_000)) return "svc.weightRange";
  return null;
}

/** Trouble first: unhealthy, then disabled, then the rest; by address within each. */
const rank = (i: Instance) => (!i.healthy ? 0 : !i.enabled ? 1 : 2);

/** Instances by cluster; clusters with an unhealthy instance first, then DEFAULT, then by name. */
export function clusterGroups(instances: Instance[]): Array<{ name: string; instances: Instance[] }> {
  const by = new Map<string, Instance[]>();
  for (const i of instances) by.set(i.clusterName, [...(by.get(i.clusterName) ?? []), i]);
  const troubled = (list: Instance[]) => (list.some((i) => !i.healthy) ? 0 : 1);
  return [...by.entries()]
    .sort(([a, x], [b, y]) => troubled(x) - troubled(y) || (a === "DEFAULT" ? -1 : b === "DEFAULT" ? 1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name, instances: [...list].sort((x, y) => rank(x) - rank(y) || x.ip.localeCompare(y.ip) || x.port - y.port) }));
}

export function metadataLines(m: Record<string, string>): string {
  return Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}

function parseMetadata(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf("=");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Only what the text changes: set keys that are new or different, null for keys removed. */
function metadataEdits(before: Record<string, string>, after: Record<string, string>): Record<string, string | null> {
  const edits: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) edits[k] = v;
  for (const k of Object.keys(before)) if (!(k in after)) edits[k] = null;
  return edits;
}

function Section({ title, count, testId, children }: { title: string; count?: number; testId: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid={testId}>
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
        {count !== undefined && <span className="font-normal normal-case"> ({count})</span>}
      </h2>
      <div className="mt-2">{children}</div>
    </section>
  );
}

/** Dubbo URLs split into the fields an operator reads (lib/zookeeper/dubbo.ts parses them). */
function EndpointTable({ endpoints, testId, withPort }: { endpoints: DubboEndpoint[]; testId: string; withPort: boolean }) {
  const { t } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th className="py-1 pr-3 font-medium">{t("svc.protocol")}</th>
            <th className="pr-3 font-medium">{t("svc.host")}</th>
            {withPort && <th className="pr-3 font-medium">{t("svc.port")}</th>}
            <th className="pr-3 font-medium">{t("svc.application")}</th>
            <th className="pr-3 font-medium">{t("svc.interface")}</th>
            <th className="pr-3 font-medium">{t("svc.version")}</th>
            <th className="font-medium">{t("svc.methods")}</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e, n) => (
            <tr key={`${e.host}:${e.port ?? ""}:${n}`} className="border-t border-slate-100 align-middle dark:border-slate-800">
              <td className="py-1.5 pr-3 font-mono text-xs">{e.protocol}</td>
              <td className="pr-3 font-mono text-xs">{e.host}</td>
              {withPort && <td className="pr-3 font-mono text-xs">{e.port ?? "—"}</td>}
              <td className="pr-3 text-xs">{e.application ?? "—"}</td>
              <td className="pr-3 break-all font-mono text-xs">{e.interface}</td>
              <td className="pr-3 text-xs">{e.version ?? "—"}</td>
              <td className="text-xs">
                {e.methods.length === 0
                  ? "—"
                  : e.methods.map((m) => (
                      <Badge key={m} className="mb-0.5 mr-1 font-mono">
                        {m}
                      </Badge>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One service of an environment, as on its own page: instances by cluster (health first,
 * metadata as labels, changes through the confirmation dialog when `canWrite`), subscribers
 * (Nacos) or consumers and split provider URLs (Dubbo).
 */
export function ServiceDetail({
  environment,
  namespace,
  group,
  service,
  canWrite: mayWrite,
  registry,
}: {
  environment: string;
  namespace: string;
  group: string;
  service: string;
  canWrite: boolean;
  registry: "nacos" | "zookeeper";
}) {
  const { t } = useI18n();
  const canWrite = mayWrite && registry === "nacos";
  const [auto, setAuto] = useState(false);
  const [change, setChange] = useState<Change | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const detail = useServiceDetail(environment, namespace, { group, name: service }, { refetchInterval: auto ? 10_000 : false });
  const apply = useUpdateInstance(environment, group, service);
  const instances = detail.data?.instances ?? [];

  const changeBody = (c: Change, base: Instance) => {
    const weight = c.weightText !== undefined ? Number(c.weightText.trim()) : undefined;
    const metadata = c.metadataText !== undefined ? metadataEdits(base.metadata, parseMetadata(c.metadataText)) : undefined;
    return {
      namespace,
      ip: base.ip,
      port: base.port,
      clusterName: base.clusterName,
      weight,
      enabled: c.enabled,
      metadata,
      // What the operator saw: compared with Nacos under a per-instance lock (409 when it moved).
      expected: {
        ...(weight !== undefined || c.enabled !== undefined ? { weight: base.weight, enabled: base.enabled } : {}),
        ...(metadata ? { metadata: Object.fromEntries(Object.keys(metadata).map((k) => [k, base.metadata[k] ?? null])) } : {}),
      },
    };
  };
  const describeChange = (c: Change) =>
    [
      c.weightText !== undefined ? t("svc.changeWeight", { weight: c.weightText.trim() }) : null,
      c.enabled !== undefined ? (c.enabled ? t("svc.changeEnabled") : t("svc.changeDisabled")) : null,
      c.metadataText !== undefined ? t("svc.changeMetadata") : null,
    ]
      .filter(Boolean)
      .join(", ");
  const applyChange = (c: Change) =>
    apply.mutate(changeBody(c, c.instance), {
      onSuccess: (r) => {
        setChange(null);
        const what = `${c.instance.ip}:${c.instance.port} ${describeChange(c)}`;
        // 202 "unknown": written, but Nacos did not show it within the console's wait.
        if (r?.outcome === "unknown") setNotice({ ok: false, text: t("svc.changeUnknown", { what }) });
        else setNotice({ ok: true, text: t("svc.changeSaved", { what }) });
      },
      onError: (e) => {
        // The dialog stays open with the error (and the conflict, if any); the page says it too.
        setNotice({ ok: false, text: t("svc.changeFailed", { reason: `${c.instance.ip}:${c.instance.port} — ${e instanceof ApiError ? e.detail : String(e)}` }) });
      },
    });
  const conflict = apply.error instanceof ApiError && apply.error.status === 409 ? ((apply.error.body.details as { current?: Partial<Instance> } | undefined)?.current ?? null) : null;
  const lastHealthy = (i: Instance) => instances.filter((x) => x.healthy && x.enabled && !(x.ip === i.ip && x.port === i.port && x.clusterName === i.clusterName)).length === 0 && i.healthy && i.enabled;
  // A change that stops traffic needs a second, explicit confirmation: weight 0 (this
  // instance), or disabling the service's last healthy, enabled instance (the whole service).
  const zeroWeight = (c: Change) => c.weightText !== undefined && weightProblem(c.weightText) === null && Number(c.weightText.trim()) === 0;
  const stopsTraffic = (c: Change) => zeroWeight(c) || (c.enabled === false && lastHealthy(c.instance));
  const unreachable = detail.error instanceof ApiError && detail.error.status >= 502;
  const healthy = instances.filter((i) => i.healthy).length;

  return (
    <div className="space-y-4" data-testid="service-detail">
      {unreachable && <UnreachableBanner environment={environment} system={registry === "zookeeper" ? "ZooKeeper" : "Nacos"} error={detail.error as ApiError} onRetry={() => void detail.refetch()} />}
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {detail.data && (
          <span data-testid="service-summary">
            {t("svc.summary", { healthy, total: instances.length })}
          </span>
        )}
        <label className="ml-auto flex items-center gap-1 text-xs">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t("svc.autoRefresh")}
        </label>
        <Button variant="secondary" onClick={() => void detail.refetch()} disabled={detail.isFetching}>
          {t("svc.refresh")}
        </Button>
      </div>
      {notice && (
        <p
          role={notice.ok ? "status" : "alert"}
          data-testid="change-notice"
          className={`rounded px-2 py-1 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
        >
          {notice.text}
        </p>
      )}
      {detail.isPending && <Spinner />}
      {detail.isError && !unreachable && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}

      {detail.data && (
        <Section title={t("svc.instances")} count={instances.length} testId="service-instances">
          {instances.length === 0 ? (
            <EmptyState>{t("svc.noInstances")}</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="instances-table">
                <thead className="text-xs text-slate-500 dark:text-slate-400">
                  <tr>
                    <th className="py-1 pr-3 font-medium">{t("svc.instance")}</th>
                    <th className="pr-3 font-medium">{t("svc.weight")}</th>
                    <th className="pr-3 font-medium">{t("svc.isHealthy")}</th>
                    <th className="pr-3 font-medium">{t("svc.enabled")}</th>
                    <th className="pr-3 font-medium">{t("svc.ephemeral")}</th>
                    <th className="pr-3 font-medium">{t("svc.metadata")}</th>
                    <th className="sr-only">{t("svc.actions")}</th>
                  </tr>
                </thead>
                {clusterGroups(instances).map((g) => {
                  const ok = g.instances.filter((i) => i.healthy).length;
                  return (
                    <tbody key={g.name} data-testid={`cluster-${g.name}`}>
                      <tr className="border-t border-slate-200 bg-slate-50 text-xs dark:border-slate-700 dark:bg-slate-950">
                        <th colSpan={7} className="px-1 py-1 text-left font-semibold">
                          {t("svc.cluster", { name: g.name })} ·{" "}
                          <span className={ok < g.instances.length ? "text-red-700 dark:text-red-300" : "text-emerald-700 dark:text-emerald-300"}>{t("svc.clusterCounts", { healthy: ok, total: g.instances.length })}</span>
                        </th>
                      </tr>
                      {g.instances.map((i) => (
                        <tr key={`${i.ip}:${i.port}:${i.clusterName}`} className="border-t border-slate-100 align-middle dark:border-slate-800" data-testid={`instance-${i.ip}-${i.port}`}>
                          <td className="py-1.5 pr-3 font-mono text-xs">
                            {i.ip}:{i.port}
                          </td>
                          <td className="pr-3">{i.weight}</td>
                          <td className="pr-3" title={i.healthy ? t("svc.isHealthy") : t("svc.isUnhealthy")}>
                            {i.healthy ? "✓" : <span className="font-semibold text-red-700 dark:text-red-300">✗</span>}
                          </td>
                          <td className="pr-3">{i.enabled ? "✓" : "—"}</td>
                          <td className="pr-3">{i.ephemeral ? "✓" : "—"}</td>
                          <td className="pr-3 text-xs">
                            {Object.entries(i.metadata)
                              .sort(([a], [b]) => a.localeCompare(b))
                              .map(([k, v]) => (
                              <Badge key={k} className="mb-0.5 mr-1">
                                {k}={v}
                              </Badge>
                            ))}
                          </td>
                          <td className="text-right">
                            {canWrite && (
                              <div className="flex justify-end gap-1 whitespace-nowrap">
                                <Button variant="ghost" data-testid={`weight-${i.port}`} onClick={() => (apply.reset(), setChange({ instance: i, weightText: String(i.weight) }))}>
                                  {t("svc.setWeight")}
                                </Button>
                                <Button variant="ghost" data-testid={`metadata-${i.port}`} onClick={() => (apply.reset(), setChange({ instance: i, metadataText: metadataLines(i.metadata) }))}>
                                  {t("svc.editMetadata")}
                                </Button>
                                <Button variant="ghost" data-testid={`toggle-${i.port}`} onClick={() => (apply.reset(), setChange({ instance: i, enabled: !i.enabled }))}>
                                  {i.enabled ? t("svc.disable") : t("svc.enable")}
                                </Button>
                              </div>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  );
                })}
              </table>
            </div>
          )}
        </Section>
      )}

      {detail.data?.providers && (
        <Section title={t("svc.providers")} count={detail.data.providers.length} testId="providers">
          {detail.data.providers.length === 0 ? <EmptyState>{t("svc.noInstances")}</EmptyState> : <EndpointTable endpoints={detail.data.providers} testId="providers-table" withPort />}
        </Section>
      )}
      {detail.data?.consumers && (
        <Section title={t("svc.consumers")} count={detail.data.consumers.length} testId="consumers">
          {detail.data.consumers.length === 0 ? <p className="text-sm text-slate-500">{t("svc.noConsumers")}</p> : <EndpointTable endpoints={detail.data.consumers} testId="consumers-table" withPort={false} />}
        </Section>
      )}
      {detail.data?.subscribers && (
        <Section title={t("svc.subscribers")} count={detail.data.subscribers.total} testId="subscribers">
          {detail.data.subscribers.items.length === 0 ? (
            <p className="text-sm text-slate-500">{t("svc.noSubscribers")}</p>
          ) : (
            <ul className="space-y-0.5 font-mono text-xs">
              {detail.data.subscribers.items.map((x) => (
                <li key={x.address + (x.agent ?? "")}>
                  {x.address} {x.app ? `· ${x.app}` : ""} {x.agent ? `· ${x.agent}` : ""}
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}

      {change &&
        (() => {
          const problem = change.weightText !== undefined ? weightProblem(change.weightText) : null;
          const stops = stopsTraffic(change);
          const target = `${change.instance.ip}:${change.instance.port}`;
          const stopped = zeroWeight(change) ? target : service;
          const newWeight = change.weightText !== undefined && !problem ? change.weightText.trim() : String(change.instance.weight);
          return (
            <ConfirmDialog
              title={t("access.confirmTitle")}
              before={`${environment} · ${service} ${target} (${change.instance.clusterName})\nweight: ${change.instance.weight}\nenabled: ${change.instance.enabled}${change.metadataText !== undefined ? `\n${metadataLines(change.instance.metadata)}` : ""}`}
              after={`${environment} · ${service} ${target} (${change.instance.clusterName})\nweight: ${newWeight}\nenabled: ${change.enabled ?? change.instance.enabled}${change.metadataText !== undefined ? `\n${metadataLines(parseMetadata(change.metadataText))}` : ""}`}
              confirmLabel={change.enabled === false ? t("svc.disable") : t("access.confirm")}
              danger={stops || change.enabled === false}
              pending={apply.isPending}
              confirmDisabled={
                conflict !== null || // reapply on the current values first
                problem !== null ||
                (stops && !change.acknowledged) ||
                (change.metadataText !== undefined && Object.keys(metadataEdits(change.instance.metadata, parseMetadata(change.metadataText))).length === 0)
              }
              error={
                apply.isError ? (
                  conflict ? (
                    <div className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" data-testid="change-conflict">
                      <p>{t("svc.conflict")}</p>
                      <p className="font-mono text-xs">
                        weight: {String(conflict.weight)} · enabled: {String(conflict.enabled)}
                        {conflict.metadata && Object.keys(conflict.metadata).length > 0 ? ` · ${metadataLines(conflict.metadata).replace(/\n/g, ", ")}` : ""}
                      </p>
                      <Button
                        variant="secondary"
                        data-testid="change-reapply"
                        onClick={() => {
                          const fresh: Instance = { ...change.instance, ...conflict, metadata: { ...change.instance.metadata, ...(conflict.metadata ?? {}) } };
                          apply.reset();
                          setChange({ ...change, instance: fresh, acknowledged: false });
                        }}
                      >
                        {t("svc.reapply")}
                      </Button>
                    </div>
                  ) : (
                    <ErrorState error={apply.error} />
                  )
                ) : undefined
              }
              onConfirm={() => applyChange(change)}
              onCancel={() => setChange(null)}
            >
              {change.metadataText !== undefined && (
                <label className="block text-xs">
                  {t("svc.metadataHint")}
                  <Textarea rows={5} autoFocus value={change.metadataText} onChange={(e) => setChange({ ...change, metadataText: e.target.value })} className="mt-1 w-full font-mono" data-testid="metadata-input" />
                </label>
              )}
              {change.weightText !== undefined && (
                <label className="block text-xs">
                  {t("svc.weight")}
                  <span className="mt-1 flex items-center gap-2">
                    <Input
                      type="text"
                      inputMode="decimal"
                      autoFocus
                      value={change.weightText}
                      onChange={(e) => setChange({ ...change, weightText: e.target.value, acknowledged: false })}
                      aria-invalid={problem !== null}
                      aria-describedby="weight-problem"
                      className={`w-32 ${problem ? "border-red-600" : ""}`}
                      data-testid="weight-input"
                    />
                    {problem && (
                      <span id="weight-problem" role="alert" className="text-red-700 dark:text-red-300" data-testid="weight-problem">
                        {t(problem)}
                      </span>
                    )}
                  </span>
                </label>
              )}
              {stops && (
                <div className="mt-2 rounded border border-red-300 bg-red-50 p-2 text-xs text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" data-testid="stops-traffic">
                  <p className="font-semibold">
                    {t("svc.stopsTraffic", { target: stopped })} {zeroWeight(change) ? "" : t("svc.lastHealthy")}
                  </p>
                  <label className="mt-1 flex items-center gap-2">
                    <input type="checkbox" checked={Boolean(change.acknowledged)} onChange={(e) => setChange({ ...change, acknowledged: e.target.checked })} data-testid="stops-traffic-ack" />
                    {t("svc.stopsTrafficAck", { target: stopped })}
                  </label>
                </div>
              )}
            </ConfirmDialog>
          );
        })()}
    </div>
  );
}
