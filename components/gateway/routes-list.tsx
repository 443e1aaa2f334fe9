"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { RouteStatusBadges, WeightBar } from "@/components/gateway/status-badges";
import { Badge } from "@/components/ui/badge";
import { Input, Select } from "@/components/ui/input";
import { Pager } from "@/components/ui/pager";
import { QueryStates } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { useRoutes } from "@/lib/gateway/hooks";
import { newRoutePath, routePagePath, type RouteListParams } from "@/lib/gateway/keys";
import type { RouteListItem } from "@/lib/gateway/views";

const TYPE_TONE: Record<RouteListItem["type"], string> = {
  HTTPRoute: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  GRPCRoute: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  VirtualService: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
};

/**
 * Routes of an environment's cluster in one list: HTTPRoutes (editable, each with its own page),
 * GRPCRoutes and gateway-bound Istio VirtualServices (read-only), marked by type. Search,
 * filter and pages are server-side.
 */
export function RoutesList({ environment, canWrite }: { environment: string; canWrite: boolean }) {
  const { t } = useI18n();
  // ?namespace= and ?issues= open the list filtered (the overview's "objects with validation errors" links here).
  const url = useSearchParams();
  const [search, setSearch] = useState("");
  const [type, setType] = useState<RouteListParams["type"]>("");
  const [namespace, setNamespace] = useState(() => url.get("namespace") ?? "");
  const [issues, setIssues] = useState<NonNullable<RouteListParams["issues"]>>(() => (url.get("issues") === "error" || url.get("issues") === "warning" ? (url.get("issues") as "error" | "warning") : ""));
  const [page, setPage] = useState(1);
  const params: RouteListParams = { search, type, namespace, issues, page, pageSize: 50 };
  const list = useRoutes(environment, params);
  const nsValid = namespace === "" || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.search")}</span>
          <Input value={search} onChange={(e) => { setSearch(e.target.value); setPage(1); }} placeholder={t("gateway.searchHint")} data-testid="routes-search" className="w-72" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.namespace")}</span>
          <Input value={namespace} onChange={(e) => { setNamespace(e.target.value); setPage(1); }} aria-invalid={!nsValid} className="w-44" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.type")}</span>
          <Select value={type} onChange={(e) => { setType(e.target.value as RouteListParams["type"]); setPage(1); }} data-testid="routes-type">
            <option value="">{t("gateway.type.all")}</option>
            <option value="HTTPRoute">HTTPRoute</option>
            <option value="GRPCRoute">GRPCRoute</option>
            <option value="VirtualService">VirtualService</option>
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.issueFilter")}</span>
          <Select value={issues} onChange={(e) => { setIssues(e.target.value as NonNullable<RouteListParams["issues"]>); setPage(1); }} data-testid="routes-issues">
            <option value="">{t("gateway.issueFilter.all")}</option>
            <option value="error">{t("gateway.issueFilter.error")}</option>
            <option value="warning">{t("gateway.issueFilter.warning")}</option>
          </Select>
        </label>
        {canWrite && (
          <Link href={newRoutePath(environment)} className="ml-auto inline-flex items-center rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800" data-testid="new-route">
            {t("gateway.newRoute")}
          </Link>
        )}
      </div>
      {!nsValid && <p className="text-xs text-red-700 dark:text-red-300">{t("gateway.namespaceInvalid")}</p>}
      <QueryStates query={list} isEmpty={(d) => !d.items.length} empty={search || type || namespace || issues ? t("gateway.routes.emptyFiltered") : t("gateway.routes.empty")}>
        {(d) => (
          <>
            <DataTable testId="routes-table" columns={[t("gateway.col.route"), t("gateway.col.hostnames"), t("gateway.col.matches"), t("gateway.col.backends"), t("gateway.col.parents"), t("gateway.col.status")]}>
              {d.items.map((r) => (
                <tr key={`${r.type}/${r.namespace}/${r.name}`} className="border-t border-slate-200 align-top dark:border-slate-800" data-testid="route-row" data-route={r.name}>
                  <td className="px-3 py-2">
                    <span className={`mr-2 rounded px-1.5 text-xs ${TYPE_TONE[r.type]}`}>{r.type}</span>
                    {r.type === "HTTPRoute" ? (
                      <Link className="font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300" href={routePagePath(environment, r.namespace, r.name)}>
                        {r.namespace}/{r.name}
                      </Link>
                    ) : (
                      <span className="font-medium">
                        {r.namespace}/{r.name}
                      </span>
                    )}
                    <div className="mt-1 flex flex-wrap gap-1">
                      {r.readOnly && <Badge>{t("gateway.readOnly")}</Badge>}
                      {r.canary && <Badge className="bg-violet-100 dark:bg-violet-950" data-testid="canary-badge">{t("gateway.canary.badge", { percent: r.canary.percent })}</Badge>}
                      {r.drained.map((z) => (
                        <Badge key={z} className="bg-amber-100 dark:bg-amber-950">{t("gateway.drained.badge", { zone: z })}</Badge>
                      ))}
                    </div>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{r.hostnames.length ? r.hostnames.join(", ") : "*"}</td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {r.rules.map((rule, i) => (
                      <div key={i}>{rule.matches.join(" | ")}</div>
                    ))}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {r.rules.map((rule, i) => {
                      const total = rule.backends.reduce((s, b) => s + b.weight, 0);
                      return (
                        <div key={i} className="mb-1 space-y-0.5">
                          {rule.backends.map((b) => (
                            <div key={b.name} className="flex items-center gap-2">
                              <span className="max-w-64 truncate font-mono" title={b.name}>{b.label ?? b.name}</span>
                              <WeightBar weight={b.weight} total={total} />
                            </div>
                          ))}
                        </div>
                      );
                    })}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{r.parents.join(", ")}</td>
                  <td className="px-3 py-2">{r.type === "VirtualService" ? <span className="text-xs text-slate-500">—</span> : <RouteStatusBadges status={r.status} />}</td>
                </tr>
              ))}
            </DataTable>
            <Pager page={d.page} pages={d.pages} total={d.total} onPage={setPage} />
          </>
        )}
      </QueryStates>
    </div>
  );
}
