"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { SortHeader } from "@/components/ui/table";
import { UnreachableBanner } from "@/components/services/unreachable-banner";
import { Input, Select } from "@/components/ui/input";
import { ExportCsvButton, ExportError, FilterToggle, ListToolbar, ToolbarField, useCsvExport } from "@/components/ui/list-toolbar";
import { Pager } from "@/components/ui/pager";
import { QueryStates } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { fetchServicesPage, useServices } from "@/lib/registry/hooks";
import { servicePagePath } from "@/lib/registry/keys";
import type { NacosService } from "@/lib/nacos/schemas";

type Service = NacosService;
type SortKey = "name" | "instances" | "healthy";

/**
 * The services of one environment: search, sort, filter and page server-side; each row links to
 * the service's own page (`/services/<env>/<namespace>/<group>/<service>`), where its instances
 * are shown and changed. `registry="zookeeper"`: no namespaces.
 */
export function ServicesExplorer({
  environment,
  namespaces,
  registry = "nacos",
  initialUnhealthyOnly = false,
}: {
  environment: string;
  namespaces: string[];
  registry?: "nacos" | "zookeeper";
  /** `/services?unhealthy=true` (the overview's unhealthy counts link here) opens the list filtered. */
  initialUnhealthyOnly?: boolean;
}) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const [namespace, setNamespace] = useState(namespaces[0] ?? "");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const [unhealthyOnly, setUnhealthyOnly] = useState(initialUnhealthyOnly);
  const [auto, setAuto] = useState(false);
  const pageSize = 50;
  const params = { search, page, pageSize, sort, unhealthyOnly };
  const list = useServices(environment, namespace, params, { refetchInterval: auto ? 10_000 : false });
  // CSV of the whole list (every page, with the search, filter and sort on screen), with progress.
  const csv = useCsvExport<Service>({
    fetchPage: (p) => fetchServicesPage(environment, namespace, { ...params, page: p, pageSize: 200 }),
    header: ["name", "group", "instances", "healthy"],
    row: (r) => [r.name, r.group, r.instanceCount, r.healthyInstanceCount],
    filename: `services-${environment}-${namespace || "public"}.csv`,
  });
  const href = (s: Service) => servicePagePath(environment, namespace, s.group, s.name);

  const unreachable = list.error instanceof ApiError && list.error.status >= 502;
  const fmt = new Intl.DateTimeFormat(locale, { timeStyle: "medium" });

  return (
    <div className="space-y-4">
      {unreachable && <UnreachableBanner environment={environment} system={registry === "zookeeper" ? "ZooKeeper" : "Nacos"} error={list.error as ApiError} onRetry={() => void list.refetch()} />}
      <ListToolbar testId="services-toolbar">
        <ToolbarField label={t("svc.namespace")} hidden={registry === "zookeeper"}>
          <Select value={namespace} onChange={(e) => (setNamespace(e.target.value), setPage(1))}>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n || t("svc.publicNs")}
              </option>
            ))}
          </Select>
        </ToolbarField>
        <Input aria-label={t("svc.search")} placeholder={t("svc.search")} value={search} onChange={(e) => (setSearch(e.target.value), setPage(1))} data-testid="service-search" />
        <FilterToggle pressed={unhealthyOnly} onToggle={() => (setUnhealthyOnly((u) => !u), setPage(1))} tone="danger" testId="filter-unhealthy">
          {t("svc.unhealthyOnly")}
        </FilterToggle>
        <label className="flex items-center gap-1 whitespace-nowrap text-sm">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t("svc.autoRefresh")}
        </label>
        {list.data && <ExportCsvButton csv={csv} label={t("svc.exportCsv")} busyLabel={(p) => t("svc.exportingCsv", p)} testId="services-export" />}
        {list.dataUpdatedAt > 0 && (
          <time className="ml-auto whitespace-nowrap text-xs text-slate-500" dateTime={new Date(list.dataUpdatedAt).toISOString()} title={new Date(list.dataUpdatedAt).toString()}>
            {t("svc.lastUpdated", { time: fmt.format(list.dataUpdatedAt) })}
          </time>
        )}
      </ListToolbar>
      <ExportError csv={csv} />
      <QueryStates query={list} hideError={unreachable} isEmpty={(d) => d.items.length === 0} empty={search || unhealthyOnly ? t("svc.empty") : registry === "zookeeper" ? t("svc.emptyZookeeper") : t("svc.emptyNamespace")}>
        {(d) => (
          <div className="max-h-[28rem] overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="services-table">
              <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
                <tr>
                  <SortHeader label={t("svc.name")} k="name" sort={sort} onSort={(v) => (setSort(v), setPage(1))} />
                  <th className="px-2">{t("svc.group")}</th>
                  <SortHeader label={t("svc.instances")} k="instances" sort={sort} onSort={(v) => (setSort(v), setPage(1))} right firstDesc />
                  <SortHeader label={t("svc.healthy")} k="healthy" sort={sort} onSort={(v) => (setSort(v), setPage(1))} right firstDesc />
                </tr>
              </thead>
              <tbody>
                {d.items.map((s) => (
                  <tr
                    key={`${s.group}@@${s.name}`}
                    onClick={() => router.push(href(s))}
                    className="cursor-pointer border-t border-slate-100 hover:bg-sky-50 focus-within:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800 dark:focus-within:bg-slate-800"
                  >
                    <td className="px-2 py-1.5 font-medium">
                      {/* The link is what keyboards and "open in new tab" use; the row click is a larger target. */}
                      <Link href={href(s)} className="hover:underline focus:outline-none focus-visible:underline" onClick={(e) => e.stopPropagation()}>
                        {s.name}
                      </Link>
                    </td>
                    <td className="px-2 text-xs">{s.group}</td>
                    <td className="px-2 text-right">{s.instanceCount}</td>
                    <td className={`px-2 text-right ${s.healthyInstanceCount < s.instanceCount ? "font-semibold text-red-700" : ""}`}>{s.healthyInstanceCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryStates>
      {list.data && <Pager page={page} pages={list.data.pages} total={list.data.total} onPage={(p) => setPage(p)} />}

    </div>
  );
}
