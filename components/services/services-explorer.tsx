"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { SortHeader } from "@/components/ui/table";
import { Banner } from "@/components/ui/banner";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Pager } from "@/components/ui/pager";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { fetchServicesPage, useServiceDetail, useServices, useUpdateInstance } from "@/lib/registry/hooks";
import type { MessageKey } from "@/lib/i18n/messages";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/schemas";

type Service = NacosService;
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

function clusterGroups(instances: Instance[]): Array<{ name: string; instances: Instance[] }> {
  const by = new Map<string, Instance[]>();
  for (const i of instances) by.set(i.clusterName, [...(by.get(i.clusterName) ?? []), i]);
  const rank = (i: Instance) => (!i.healthy ? 0 : !i.enabled ? 1 : 2); // trouble first
  return [...by.entries()]
    .sort(([a], [b]) => (a === "DEFAULT" ? -1 : b === "DEFAULT" ? 1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name, instances: [...list].sort((x, y) => rank(x) - rank(y) || x.ip.localeCompare(y.ip) || x.port - y.port) }));
}
type SortKey = "name" | "instances" | "healthy";

function metadataLines(m: Record<string, string>): string {
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

function csv(rows: Service[]): string {
  const cell = (v: unknown) => {
    const s = String(v);
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return ["name,group,instances,healthy,clusters", ...rows.map((r) => [r.name, r.group, r.instanceCount, r.healthyInstanceCount, r.clusterCount].map(cell).join(","))].join("\r\n");
}

/** `registry="zookeeper"`: read-only (instance changes are Nacos-only) and no namespaces. */
export function ServicesExplorer({ environment, namespaces, canWrite: mayWrite, registry = "nacos" }: { environment: string; namespaces: string[]; canWrite: boolean; registry?: "nacos" | "zookeeper" }) {
  const { t, locale } = useI18n();
  const canWrite = mayWrite && registry === "nacos";
  const [namespace, setNamespace] = useState(namespaces[0] ?? "");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const [unhealthyOnly, setUnhealthyOnly] = useState(false);
  const [auto, setAuto] = useState(false);
  const [open, setOpen] = useState<Service | null>(null);
  const [change, setChange] = useState<Change | null>(null);
  const pageSize = 50;
  const params = { search, page, pageSize, sort, unhealthyOnly };
  const list = useServices(environment, namespace, params, { refetchInterval: auto ? 10_000 : false });
  // CSV of the whole list (every page, with the search, filter and sort on screen), with progress.
  const [exporting, setExporting] = useState<{ done: number; total: number } | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  async function exportAll(): Promise<void> {
    setExportError(null);
    const rows: Service[] = [];
    try {
      for (let p = 1, pages = 1; p <= pages; p++) {
        const r = await fetchServicesPage(environment, namespace, { ...params, page: p, pageSize: 200 });
        rows.push(...r.items);
        pages = r.pages;
        setExporting({ done: rows.length, total: r.total });
      }
      const url = URL.createObjectURL(new Blob([csv(rows)], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `services-${environment}-${namespace || "public"}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(null);
    }
  }
  const detail = useServiceDetail(environment, namespace, open, { refetchInterval: auto ? 10_000 : false });
  const [notice, setNotice] = useState<Notice | null>(null);
  const changeBody = (c: Change, base: Instance) => {
    const weight = c.weightText !== undefined ? Number(c.weightText.trim()) : undefined;
    const metadata = c.metadataText !== undefined ? metadataEdits(base.metadata, parseMetadata(c.metadataText)) : undefined;
    return {
      namespace,
      group: open!.group,
      serviceName: open!.name,
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
    [c.weightText !== undefined ? `weight ${c.weightText.trim()}` : null, c.enabled !== undefined ? (c.enabled ? "enabled" : "disabled") : null, c.metadataText !== undefined ? "metadata" : null]
      .filter(Boolean)
      .join(", ");
  const apply = useUpdateInstance(environment);
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
  const lastHealthy = (i: Instance) => (detail.data?.instances ?? []).filter((x) => x.healthy && x.enabled && !(x.ip === i.ip && x.port === i.port && x.clusterName === i.clusterName)).length === 0 && i.healthy && i.enabled;
  // A change that stops traffic needs a second, explicit confirmation: weight 0 (this
  // instance), or disabling the service's last healthy, enabled instance (the whole service).
  const zeroWeight = (c: Change) => c.weightText !== undefined && weightProblem(c.weightText) === null && Number(c.weightText.trim()) === 0;
  const stopsTraffic = (c: Change) => zeroWeight(c) || (c.enabled === false && lastHealthy(c.instance));

  const unreachable = list.error instanceof ApiError && list.error.status >= 502;
  const fmt = new Intl.DateTimeFormat(locale, { timeStyle: "medium" });

  return (
    <div className="space-y-4">
      {unreachable && (
        <Banner tone="error" role="alert" data-testid="backend-banner">
          <strong>{environment}</strong> · {registry === "zookeeper" ? "ZooKeeper" : "Nacos"} {t("svc.unreachable")}: {(list.error as ApiError).detail}
          <span className="ml-3 inline-flex gap-3">
            <button type="button" className="underline" onClick={() => void list.refetch()} data-testid="backend-retry">
              {t("common.retry")}
            </button>
            <a className="underline" href="/settings/environments">
              {t("svc.envSettings")}
            </a>
          </span>
        </Banner>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <label className={`text-xs ${registry === "zookeeper" ? "hidden" : ""}`}>
          {t("svc.namespace")}
          <Select className="ml-2" value={namespace} onChange={(e) => (setNamespace(e.target.value), setPage(1), setOpen(null))}>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n || t("svc.publicNs")}
              </option>
            ))}
          </Select>
        </label>
        <Input aria-label={t("svc.search")} placeholder={t("svc.search")} value={search} onChange={(e) => (setSearch(e.target.value), setPage(1))} data-testid="service-search" />
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t("svc.autoRefresh")}
        </label>
        <label className="flex items-center gap-1 text-xs">
          <button
            type="button"
            aria-pressed={unhealthyOnly}
            data-testid="filter-unhealthy"
            onClick={() => (setUnhealthyOnly((u) => !u), setPage(1))}
            className={`rounded-full border px-3 py-1 text-xs ${unhealthyOnly ? "border-red-600 bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200" : "border-slate-300 dark:border-slate-700"}`}
          >
            {unhealthyOnly ? "✕ " : ""}
            {t("svc.unhealthyOnly")}
          </button>
        </label>
        {list.data && (
          <Button variant="secondary" disabled={exporting !== null} onClick={() => void exportAll()} data-testid="services-export">
            {exporting ? t("svc.exportingCsv", { done: exporting.done, total: exporting.total }) : t("svc.exportCsv")}
          </Button>
        )}
        {exportError !== null && <ErrorState error={exportError} />}
        {list.dataUpdatedAt > 0 && <span className="text-xs text-slate-500">{t("svc.lastUpdated", { time: fmt.format(list.dataUpdatedAt) })}</span>}
      </div>
      {list.isPending && <Spinner />}
      {list.isError && !unreachable && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{search || unhealthyOnly ? t("svc.empty") : (registry === "zookeeper" ? t("svc.emptyZookeeper") : t("svc.emptyNamespace"))}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="max-h-[28rem] overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="services-table">
            <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
              <tr>
                <SortHeader label={t("svc.name")} k="name" sort={sort} onSort={(v) => (setSort(v), setPage(1))} />
                <th className="px-2">{t("svc.group")}</th>
                <SortHeader label={t("svc.instances")} k="instances" sort={sort} onSort={(v) => (setSort(v), setPage(1))} right firstDesc />
                <SortHeader label={t("svc.healthy")} k="healthy" sort={sort} onSort={(v) => (setSort(v), setPage(1))} right firstDesc />
                <th className="px-2 text-right">{t("svc.clusters")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr
                  key={`${s.group}@@${s.name}`}
                  tabIndex={0}
                  onClick={() => setOpen(s)}
                  onKeyDown={(e) => e.key === "Enter" && setOpen(s)}
                  className={`cursor-pointer border-t border-slate-100 hover:bg-sky-50 focus:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800 ${open?.name === s.name && open.group === s.group ? "bg-sky-50 dark:bg-slate-800" : ""}`}
                >
                  <td className="px-2 py-1.5 font-medium">{s.name}</td>
                  <td className="px-2 text-xs">{s.group}</td>
                  <td className="px-2 text-right">{s.instanceCount}</td>
                  <td className={`px-2 text-right ${s.healthyInstanceCount < s.instanceCount ? "font-semibold text-red-700" : ""}`}>{s.healthyInstanceCount}</td>
                  <td className="px-2 text-right">{s.clusterCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager page={page} pages={list.data.pages} total={list.data.total} onPage={(p) => setPage(p)} />}

      {open && (
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="service-detail">
          <h2 className="text-sm font-semibold">
            {open.group} / {open.name}
          </h2>
          {notice && (
            <p
              role={notice.ok ? "status" : "alert"}
              data-testid="change-notice"
              className={`mt-2 rounded px-2 py-1 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
            >
              {notice.text}
            </p>
          )}
          {detail.isPending && <Spinner />}
          {detail.isError && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}
          {detail.data && (
            <table className="mt-2 w-full text-left text-sm" data-testid="instances-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1">{t("svc.instance")}</th>
                  <th>{t("svc.weight")}</th>
                  <th>{t("svc.healthy")}</th>
                  <th>{t("svc.enabled")}</th>
                  <th>{t("svc.ephemeral")}</th>
                  <th>{t("svc.metadata")}</th>
                  <th />
                </tr>
              </thead>
              {clusterGroups(detail.data.instances).map((g) => (
                <tbody key={g.name} data-testid={`cluster-${g.name}`}>
                  <tr className="border-t border-slate-200 bg-slate-50 text-xs dark:border-slate-700 dark:bg-slate-950">
                    <th colSpan={7} className="px-1 py-1 text-left font-semibold">
                      {t("svc.cluster", { name: g.name })} · {t("svc.clusterCounts", { healthy: g.instances.filter((i) => i.healthy).length, total: g.instances.length })}
                    </th>
                  </tr>
                  {g.instances.map((i) => (
                    <tr key={`${i.ip}:${i.port}:${i.clusterName}`} className="border-t border-slate-100 dark:border-slate-800" data-testid={`instance-${i.ip}-${i.port}`}>
                      <td className="py-1.5 font-mono text-xs">
                        {i.ip}:{i.port}
                      </td>
                      <td>{i.weight}</td>
                      <td>{i.healthy ? "✓" : <span className="font-semibold text-red-700">✗</span>}</td>
                      <td>{i.enabled ? "✓" : "—"}</td>
                      <td>{i.ephemeral ? "✓" : "—"}</td>
                      <td className="text-xs">
                        {Object.entries(i.metadata).map(([k, v]) => (
                          <Badge key={k} className="mr-1">
                            {k}={v}
                          </Badge>
                        ))}
                      </td>
                      <td className="text-right">
                        {canWrite && (
                          <div className="flex justify-end gap-1 whitespace-nowrap">
                            <Button
                              variant="ghost"
                              data-testid={`weight-${i.port}`}
                              onClick={() => {
                                apply.reset();
                                setChange({ instance: i, weightText: String(i.weight) });
                              }}
                            >
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
              ))}
            </table>
          )}
          {detail.data?.subscribers && (
            <div className="mt-4" data-testid="subscribers">
              <h3 className="text-xs font-semibold uppercase text-slate-500">
                {t("svc.subscribers")} ({detail.data.subscribers.total})
              </h3>
              {detail.data.subscribers.items.length === 0 ? (
                <p className="mt-1 text-sm text-slate-500">{t("svc.noSubscribers")}</p>
              ) : (
                <ul className="mt-1 space-y-0.5 font-mono text-xs">
                  {detail.data.subscribers.items.map((x) => (
                    <li key={x.address + (x.agent ?? "")}>
                      {x.address} {x.app ? `· ${x.app}` : ""} {x.agent ? `· ${x.agent}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </section>
      )}

      {change && (() => {
        const problem = change.weightText !== undefined ? weightProblem(change.weightText) : null;
        const stops = stopsTraffic(change);
        const target = `${change.instance.ip}:${change.instance.port}`;
        const stopped = zeroWeight(change) ? target : open!.name;
        const newWeight = change.weightText !== undefined && !problem ? change.weightText.trim() : String(change.instance.weight);
        return (
          <ConfirmDialog
            title={t("access.confirmTitle")}
            before={`${environment} · ${open!.name} ${target} (${change.instance.clusterName})\nweight: ${change.instance.weight}\nenabled: ${change.instance.enabled}${change.metadataText !== undefined ? `\n${metadataLines(change.instance.metadata)}` : ""}`}
            after={`${environment} · ${open!.name} ${target} (${change.instance.clusterName})\nweight: ${newWeight}\nenabled: ${change.enabled ?? change.instance.enabled}${change.metadataText !== undefined ? `\n${metadataLines(parseMetadata(change.metadataText))}` : ""}`}
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
                <Textarea
                  rows={5}
                  autoFocus
                  value={change.metadataText}
                  onChange={(e) => setChange({ ...change, metadataText: e.target.value })}
                  className="mt-1 w-full font-mono"
                  data-testid="metadata-input"
                />
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
