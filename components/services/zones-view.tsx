"use client";

import { useState, type KeyboardEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Pager } from "@/components/ui/pager";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, QueryStates, Spinner } from "@/components/ui/states";
import { useDisableEverywhere, useSiteServiceDetail, useSiteServices } from "@/lib/registry/hooks";
import type { MessageKey } from "@/lib/i18n/messages";
import type { AlignedInstanceRow, DifferenceReason, DisableEverywhereResult, MergedServiceRow, SiteView, ZoneStatus } from "@/lib/registry/zone-views";

/** Select value for "each zone reads its own first namespace"; "*" is never a namespace id. */
const PER_ZONE = "*";
const PAGE_SIZE = 50;
const AMBER = "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100";
const REASON_KEY: Record<DifferenceReason, MessageKey> = {
  missing: "zones.reason.missing",
  weight: "zones.reason.weight",
  metadata: "zones.reason.metadata",
  enabled: "zones.reason.enabled",
};

type Pending = { ip: string; port: number; allPorts: boolean };

function metadataText(m: Record<string, string>): string {
  return Object.entries(m)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** Arrow keys move between rows; Enter or Space opens the focused one. */
function rowKeys(e: KeyboardEvent<HTMLTableRowElement>, open: () => void) {
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    open();
  } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    const next = e.key === "ArrowDown" ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
    (next as HTMLElement | null)?.focus();
  }
}

function ZoneBanners({ zones }: { zones: ZoneStatus[] }) {
  const { t } = useI18n();
  const down = zones.filter((z) => !z.ok);
  if (!down.length) return null;
  return (
    <Banner tone="error" role="alert" data-testid="zone-banner" className="space-y-1">
      {down.map((z) => (
        <p key={z.zone}>
          <strong>
            {t("zones.zone")} {z.zone}
          </strong>{" "}
          · {z.environment} · {t("zones.zoneUnreachable")}: {z.error}
        </p>
      ))}
    </Banner>
  );
}

export function ZonesView({ sites }: { sites: SiteView[] }) {
  const { t } = useI18n();
  const [site, setSite] = useState(sites[0]?.site ?? "");
  const [ns, setNs] = useState(PER_ZONE);
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<MergedServiceRow | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  // Disabling in every zone stops this address's traffic everywhere: confirmed twice.
  const [acknowledged, setAcknowledged] = useState(false);
  const [outcome, setOutcome] = useState<DisableEverywhereResult | null>(null);

  const zoneList = sites.find((s) => s.site === site)?.zones ?? [];
  const namespaces = [...new Set(zoneList.flatMap((z) => z.namespaces))];
  const namespace = ns === PER_ZONE ? "" : ns;

  const list = useSiteServices(site, namespace, search, page, PAGE_SIZE);
  const detail = useSiteServiceDetail(site, namespace, open);
  const disable = useDisableEverywhere(site);
  const disableEverywhere = (p: Pending) =>
    disable.mutate(
      {
          ...(ns === PER_ZONE ? {} : { namespace: ns }),
          group: open!.group,
          serviceName: open!.name,
          ip: p.ip,
          ...(p.allPorts ? {} : { port: p.port }),
          // Every instance of this address as the operator sees it, per zone: a zone that moved
          // since is reported as a conflict and left untouched (docs/security.md §41).
          expected: (detail.data?.rows ?? [])
            .filter((r) => r.ip === p.ip && (p.allPorts || r.port === p.port))
            .flatMap((r) =>
              Object.entries(r.cells).flatMap(([zone, i]) => (i ? [{ zone, port: i.port, clusterName: i.clusterName, enabled: i.enabled, weight: i.weight }] : [])),
            ),
      },
      {
        onSuccess: (r) => {
          setPending(null);
          setOutcome(r);
        },
      },
    );

  const reset = () => (setPage(1), setOpen(null), setOutcome(null));
  const zones = list.data?.zones ?? [];

  /** Before/after text per zone for the confirmation, from the aligned instances on screen. */
  const preview = (p: Pending, after: boolean): string => {
    const d = detail.data!;
    const rows = d.rows.filter((r) => r.ip === p.ip && (p.allPorts || r.port === p.port));
    return d.zones
      .map((z) => {
        const found = rows.map((r) => r.cells[z.zone]).filter((i) => i != null);
        const lines = !z.ok ? [`  ${t("zones.unavailable")}`] : found.length ? found.map((i) => `  ${i.ip}:${i.port} (${i.clusterName}) enabled: ${after ? false : i.enabled}`) : [`  ${t("zones.notRegistered")}`];
        return [`${t("zones.zone")} ${z.zone} · ${z.environment} · ${z.namespace || t("svc.publicNs")}`, ...lines].join("\n");
      })
      .join("\n");
  };

  if (!sites.length) return <EmptyState>{t("zones.noSites")}</EmptyState>;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs">
          {t("zones.site")}
          <Select className="ml-2" value={site} onChange={(e) => (setSite(e.target.value), setNs(PER_ZONE), reset())} data-testid="site-select">
            {sites.map((s) => (
              <option key={s.site} value={s.site}>
                {s.site} ({s.zones.map((z) => z.zone).join(", ")})
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs">
          {t("svc.namespace")}
          <Select className="ml-2" value={ns} onChange={(e) => (setNs(e.target.value), reset())}>
            <option value={PER_ZONE}>{t("zones.nsPerZone")}</option>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n || t("svc.publicNs")}
              </option>
            ))}
          </Select>
        </label>
        <Input aria-label={t("svc.search")} placeholder={t("svc.search")} value={search} onChange={(e) => (setSearch(e.target.value), reset())} data-testid="zones-search" />
      </div>

      <ZoneBanners zones={zones} />
      {list.data?.truncated && <p className="text-xs text-amber-800 dark:text-amber-200">{t("zones.truncated")}</p>}
      <QueryStates query={list} isEmpty={(d) => d.items.length === 0} empty={t("svc.empty")}>
        {(d) => (
          <div className="max-h-[28rem] overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="zones-table">
              <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
                <tr>
                  <th rowSpan={2} className="px-2 py-2 align-bottom">
                    {t("svc.name")}
                  </th>
                  {zones.map((z) => (
                    <th key={z.zone} colSpan={2} className="border-l border-slate-200 px-2 pt-2 text-center normal-case dark:border-slate-800">
                      {t("zones.zone")} {z.zone} <span className="font-normal text-slate-400">· {z.environment}</span>
                    </th>
                  ))}
                </tr>
                <tr>
                  {zones.flatMap((z) => [
                    <th key={`${z.zone}-i`} className="border-l border-slate-200 px-2 pb-2 text-right dark:border-slate-800">
                      {t("svc.instances")}
                    </th>,
                    <th key={`${z.zone}-h`} className="px-2 pb-2 text-right">
                      {t("svc.healthy")}
                    </th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {d.items.map((s) => {
                  const selected = open?.name === s.name && open.group === s.group;
                  const select = () => (setOpen(s), setOutcome(null));
                  return (
                    <tr
                      key={`${s.group}@@${s.name}`}
                      tabIndex={0}
                      aria-selected={selected}
                      data-testid={`zones-row-${s.name}`}
                      onClick={select}
                      onKeyDown={(e) => rowKeys(e, select)}
                      className={`cursor-pointer border-t border-slate-100 hover:bg-sky-50 focus:bg-sky-50 focus:outline-none dark:border-slate-800 dark:hover:bg-slate-800 dark:focus:bg-slate-800 ${selected ? "bg-sky-50 dark:bg-slate-800" : ""}`}
                    >
                      <td className="px-2 py-1.5 font-medium">
                        {s.name}
                        {s.group !== "DEFAULT_GROUP" && <span className="ml-1 text-xs font-normal text-slate-500">{s.group}</span>}
                        {s.differences && (
                          <span className="ml-2 rounded bg-amber-200 px-1 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100" title={s.reasons.map((r) => t(REASON_KEY[r])).join(", ")} data-testid="diff-marker">
                            ⚠ <span className="sr-only">{t("zones.differences")}: </span>
                            {s.reasons.map((r) => t(REASON_KEY[r])).join(", ")}
                          </span>
                        )}
                      </td>
                      {zones.flatMap((z) => {
                        const c = s.cells[z.zone];
                        const tone = c?.differs ? AMBER : "";
                        if (!c || c.state !== "present") {
                          return [
                            <td key={`${z.zone}-i`} colSpan={2} className={`border-l border-slate-100 px-2 text-center text-xs dark:border-slate-800 ${c?.state === "missing" ? AMBER : "text-slate-400"}`}>
                              {c?.state === "missing" ? t("zones.missing") : t("zones.unavailable")}
                            </td>,
                          ];
                        }
                        return [
                          <td key={`${z.zone}-i`} className={`border-l border-slate-100 px-2 text-right dark:border-slate-800 ${tone}`}>
                            {c.instanceCount}
                          </td>,
                          <td key={`${z.zone}-h`} className={`px-2 text-right ${tone} ${c.healthyCount < c.instanceCount ? "font-semibold text-red-700" : ""}`}>
                            {c.healthyCount}
                          </td>,
                        ];
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryStates>
      {list.data && <Pager page={page} pages={list.data.pages} total={list.data.total} onPage={(p) => (setPage(p), setOpen(null))} />}

      {open && (
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="zones-detail">
          <h2 className="text-sm font-semibold">
            {open.group} / {open.name}
          </h2>
          <p className="mt-0.5 text-xs text-slate-500">{t("zones.detailHint")}</p>
          {detail.isPending && <Spinner />}
          {detail.isError && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}
          {detail.data && (
            <>
              <div className="mt-2">
                <ZoneBanners zones={detail.data.zones} />
              </div>
              <div className="mt-2 overflow-auto">
                <table className="w-full text-left text-sm" data-testid="zones-instances">
                  <thead className="text-xs uppercase text-slate-500">
                    <tr>
                      <th className="py-1">{t("svc.instance")}</th>
                      {detail.data.zones.map((z) => (
                        <th key={z.zone} className="border-l border-slate-200 px-2 normal-case dark:border-slate-800">
                          {t("zones.zone")} {z.zone} <span className="font-normal text-slate-400">· {z.namespace || t("svc.publicNs")}</span>
                        </th>
                      ))}
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {detail.data.rows.map((r) => (
                      <InstanceRow
                        key={r.key}
                        row={r}
                        zones={detail.data.zones}
                        canDisable={detail.data.canDisableEverywhere}
                        onDisable={() => (disable.reset(), setOutcome(null), setAcknowledged(false), setPending({ ip: r.ip, port: r.port, allPorts: false }))}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}

      {outcome && (
        <section
          role="status"
          data-testid="zones-outcome"
          className={`rounded-lg border p-4 text-sm ${outcome.partial ? "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" : "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"}`}
        >
          <h2 className="font-semibold">{outcome.partial ? t("zones.partial") : t("zones.succeeded")}</h2>
          <ul className="mt-2 space-y-1">
            {outcome.zones.map((z) => (
              <li key={z.zone} data-testid={`zones-outcome-${z.zone}`}>
                <span aria-hidden className={z.ok ? "text-emerald-700" : "font-bold text-red-700"}>
                  {z.ok ? "✓" : "✗"}
                </span>{" "}
                <strong>
                  {t("zones.zone")} {z.zone}
                </strong>{" "}
                · {z.environment} · {z.ok ? (z.matched ? t("zones.changed", { changed: z.changed, matched: z.matched }) : t("zones.notRegistered")) : `${t("zones.failed")}: ${z.error ?? ""}`}
              </li>
            ))}
          </ul>
          <Button variant="secondary" className="mt-3" onClick={() => setOutcome(null)}>
            {t("zones.close")}
          </Button>
        </section>
      )}

      {pending && detail.data && (
        <ConfirmDialog
          title={t("zones.confirmTitle", { ip: pending.allPorts ? pending.ip : `${pending.ip}:${pending.port}`, site })}
          before={preview(pending, false)}
          after={preview(pending, true)}
          confirmLabel={t("zones.confirm")}
          danger
          pending={disable.isPending}
          confirmDisabled={!acknowledged}
          error={disable.isError ? <ErrorState error={disable.error} /> : undefined}
          onConfirm={() => disableEverywhere(pending)}
          onCancel={() => (setPending(null), setAcknowledged(false))}
        >
          <p>{t("zones.confirmHint")}</p>
          <label className="mt-2 flex items-center gap-2 text-xs font-semibold text-red-800 dark:text-red-200">
            <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} data-testid="stops-traffic-ack" />
            {t("svc.stopsTrafficAck", { target: `${pending.allPorts ? pending.ip : `${pending.ip}:${pending.port}`} (${site})` })}
          </label>
          <label className="mt-2 flex items-center gap-2 text-xs">
            <input type="checkbox" checked={pending.allPorts} onChange={(e) => setPending({ ...pending, allPorts: e.target.checked })} data-testid="all-ports" />
            {t("zones.allPorts")}
          </label>
        </ConfirmDialog>
      )}
    </div>
  );
}

function InstanceRow({ row, zones, canDisable, onDisable }: { row: AlignedInstanceRow; zones: ZoneStatus[]; canDisable: boolean; onDisable: () => void }) {
  const { t } = useI18n();
  const mark = (differs: boolean) => (differs ? `rounded px-1 ${AMBER}` : "");
  return (
    <tr className="border-t border-slate-100 align-top dark:border-slate-800">
      <td className="py-1.5 font-mono text-xs">
        {row.key}
        {(row.differs.weight || row.differs.metadata || row.differs.enabled) && (
          <span className="ml-1 text-amber-700" title={t("zones.differences")}>
            ⚠<span className="sr-only"> {t("zones.differences")}</span>
          </span>
        )}
      </td>
      {zones.map((z) => {
        const i = row.cells[z.zone];
        if (!z.ok) return <td key={z.zone} className="border-l border-slate-100 px-2 text-xs text-slate-400 dark:border-slate-800">{t("zones.unavailable")}</td>;
        if (!i) return <td key={z.zone} className="border-l border-slate-100 px-2 text-xs text-slate-400 dark:border-slate-800">{t("zones.notRegistered")}</td>;
        return (
          <td key={z.zone} className="border-l border-slate-100 px-2 py-1.5 text-xs dark:border-slate-800">
            <span className={mark(row.differs.weight)}>
              {t("svc.weight")} {i.weight}
            </span>{" "}
            · <span className={mark(row.differs.enabled)}>{i.enabled ? t("svc.enabled") : t("zones.disabled")}</span> · {t("svc.healthy")} {i.healthy ? "✓" : <span className="font-semibold text-red-700">✗</span>}
            <div className={`mt-0.5 ${mark(row.differs.metadata)}`}>{metadataText(i.metadata) || "—"}</div>
          </td>
        );
      })}
      <td className="text-right">
        {canDisable && (
          <Button variant="ghost" onClick={onDisable} data-testid={`disable-everywhere-${row.key}`}>
            {t("zones.disable")}
          </Button>
        )}
      </td>
    </tr>
  );
}
