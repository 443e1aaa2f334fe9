"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Pager } from "@/components/ui/pager";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { TransferPanel } from "@/components/configs/transfer-panel";
import { downloadConfigsZip, fetchConfigsPage, useConfigBetas, useConfigNamespaces, useConfigs, type TransferKind } from "@/lib/configs/hooks";
import { CONFIG_TYPES, configPagePath, type ConfigListParams } from "@/lib/configs/keys";
import type { ConfigListItem } from "@/lib/configs/views";

function csv(rows: ConfigListItem[]): string {
  const cell = (v: unknown) => {
    const s = String(v ?? "");
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return ["dataId,group,type,md5,gray", ...rows.map((r) => [r.dataId, r.group, r.type, r.md5, r.gray].map(cell).join(","))].join("\r\n");
}

const TERM = /^[A-Za-z0-9_.:-]*$/;

/**
 * The configs of one environment and namespace: search dataId and group (contains or exact),
 * filter by type and by an active gray release, page server-side, export the whole filtered
 * list as CSV; each row links to the config's own page.
 */
export function ConfigsExplorer({
  environment,
  canCreate,
  initialNamespace,
  environments = [environment],
}: {
  environment: string;
  canCreate: boolean;
  initialNamespace: string;
  /** Environments with a config center the user sees: clone targets. */
  environments?: string[];
}) {
  const { t } = useI18n();
  const router = useRouter();
  const namespaces = useConfigNamespaces(environment);
  const [namespace, setNamespace] = useState(initialNamespace);
  const [dataId, setDataId] = useState("");
  const [group, setGroup] = useState("");
  const [match, setMatch] = useState<"contains" | "exact">("contains");
  const [type, setType] = useState("");
  const [grayOnly, setGrayOnly] = useState(false);
  const [page, setPage] = useState(1);
  const pageSize = 50;
  const valid = TERM.test(dataId) && TERM.test(group);
  const params: ConfigListParams = { dataId, group, match, type, grayOnly, page, pageSize };
  const list = useConfigs(environment, namespace, params, valid);
  // Nacos' truth for the badges (a beta started outside the console too), asked after the page shows.
  const betas = useConfigBetas(environment, namespace, list.data?.items.map((c) => `${c.group}/${c.dataId}`) ?? []);
  const onGray = (c: ConfigListItem) => c.gray || (betas.data?.keys.includes(`${c.group}/${c.dataId}`) ?? false);
  const [exporting, setExporting] = useState<{ done: number; total: number } | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  /** Selected rows, by "group/dataId" (kept across pages; cleared when the namespace changes). */
  const [selected, setSelected] = useState<Map<string, { group: string; dataId: string }>>(new Map());
  const [panel, setPanel] = useState<TransferKind | null>(null);
  const [zipping, setZipping] = useState(false);
  const [zipDone, setZipDone] = useState<{ count: number; redacted: number } | null>(null);

  async function exportZip(): Promise<void> {
    setExportError(null);
    setZipDone(null);
    setZipping(true);
    try {
      setZipDone(await downloadConfigsZip(environment, namespace, selected.size > 0 ? [...selected.values()] : null));
    } catch (e) {
      setExportError(e);
    } finally {
      setZipping(false);
    }
  }
  const keyOf = (c: { group: string; dataId: string }) => `${c.group}/${c.dataId}`;
  const toggle = (c: ConfigListItem) =>
    setSelected((m) => {
      const n = new Map(m);
      if (n.has(keyOf(c))) n.delete(keyOf(c));
      else n.set(keyOf(c), { group: c.group, dataId: c.dataId });
      return n;
    });

  async function exportAll(): Promise<void> {
    setExportError(null);
    const rows: ConfigListItem[] = [];
    try {
      for (let p = 1, pages = 1; p <= pages; p++) {
        const r = await fetchConfigsPage(environment, namespace, { ...params, page: p, pageSize: 500 });
        rows.push(...r.items);
        pages = r.pages;
        setExporting({ done: rows.length, total: r.total });
      }
      const url = URL.createObjectURL(new Blob([csv(rows)], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `configs-${environment}-${namespace || "public"}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(null);
    }
  }

  const reset = <T,>(set: (v: T) => void) => (v: T) => (set(v), setPage(1));
  const href = (c: ConfigListItem) => configPagePath(environment, namespace, c.group, c.dataId);
  const unreachable = list.error instanceof ApiError && list.error.status >= 502;
  const filtered = dataId !== "" || group !== "" || type !== "" || grayOnly;

  return (
    <div className="space-y-4">
      {unreachable && (
        <Banner tone="error" role="alert" data-testid="backend-banner">
          <strong>{environment}</strong> · Nacos {t("configs.unreachable")}: {(list.error as ApiError).detail}
          <button type="button" className="ml-3 underline" onClick={() => void list.refetch()}>
            {t("common.retry")}
          </button>
        </Banner>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs">
          {t("configs.namespace")}
          <Select
            className="ml-2"
            value={namespace}
            onChange={(e) => {
              reset(setNamespace)(e.target.value);
              setSelected(new Map());
              setPanel(null);
            }}
            data-testid="configs-namespace"
          >
            {!namespaces.data?.some((n) => n.id === namespace) && <option value={namespace}>{namespace || t("configs.publicNs")}</option>}
            {namespaces.data?.map((n) => (
              <option key={n.id} value={n.id}>
                {n.id === "" ? t("configs.publicNs") : `${n.name} (${n.id})`}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs">
          {t("configs.dataId")}
          <Input
            className="ml-2 w-44"
            value={dataId}
            onChange={(e) => reset(setDataId)(e.target.value)}
            aria-invalid={!TERM.test(dataId)}
            data-testid="configs-search-dataid"
            placeholder={t("configs.searchHint")}
          />
        </label>
        <label className="text-xs">
          {t("configs.group")}
          <Input className="ml-2 w-36" value={group} onChange={(e) => reset(setGroup)(e.target.value)} aria-invalid={!TERM.test(group)} data-testid="configs-search-group" />
        </label>
        <label className="text-xs">
          {t("configs.match")}
          <Select className="ml-2" value={match} onChange={(e) => reset(setMatch)(e.target.value as "contains" | "exact")} data-testid="configs-match">
            <option value="contains">{t("configs.matchContains")}</option>
            <option value="exact">{t("configs.matchExact")}</option>
          </Select>
        </label>
        <label className="text-xs">
          {t("configs.type")}
          <Select className="ml-2" value={type} onChange={(e) => reset(setType)(e.target.value)} data-testid="configs-type">
            <option value="">{t("configs.anyType")}</option>
            {CONFIG_TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </Select>
        </label>
        <button
          type="button"
          aria-pressed={grayOnly}
          data-testid="configs-gray-only"
          onClick={() => reset(setGrayOnly)(!grayOnly)}
          className={`rounded-full border px-3 py-1 text-xs ${grayOnly ? "border-amber-600 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100" : "border-slate-300 dark:border-slate-700"}`}
        >
          {grayOnly ? "✕ " : ""}
          {t("configs.grayOnly")}
        </button>
        {list.data && (
          <Button variant="secondary" disabled={exporting !== null} onClick={() => void exportAll()} data-testid="configs-export">
            {exporting ? t("configs.exportingCsv", { done: exporting.done, total: exporting.total }) : t("configs.exportCsv")}
          </Button>
        )}
        <Button variant="secondary" disabled={zipping} onClick={() => void exportZip()} data-testid="configs-export-zip">
          {zipping ? t("configs.exportingZip") : selected.size > 0 ? t("configs.exportZipSelected", { count: selected.size }) : t("configs.exportZip")}
        </Button>
        {canCreate && (
          <Button variant="secondary" onClick={() => setPanel("import")} data-testid="configs-import-zip">
            {t("configs.importZip")}
          </Button>
        )}
        {canCreate && selected.size > 0 && (
          <Button variant="secondary" onClick={() => setPanel("clone")} data-testid="configs-clone">
            {t("configs.cloneSelected", { count: selected.size })}
          </Button>
        )}
        {selected.size > 0 && (
          <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="configs-selected">
            {t("configs.selected", { count: selected.size })}{" "}
            <button type="button" className="underline" onClick={() => setSelected(new Map())}>
              {t("configs.clearSelection")}
            </button>
          </span>
        )}
        {canCreate && (
          <Link
            href={`/configs/new?environment=${encodeURIComponent(environment)}&namespace=${encodeURIComponent(namespace)}`}
            className="rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800"
            data-testid="configs-new"
          >
            {t("configs.new")}
          </Link>
        )}
      </div>
      {!valid && <p className="text-xs text-red-700 dark:text-red-300">{t("configs.searchInvalid")}</p>}
      {exportError !== null && <ErrorState error={exportError} />}
      {zipDone && (
        <p role="status" className="text-xs text-slate-600 dark:text-slate-300" data-testid="configs-export-done">
          {t("configs.exportedZip", { count: zipDone.count, redacted: zipDone.redacted })}
        </p>
      )}
      {panel && (
        <TransferPanel
          key={panel}
          kind={panel}
          environment={environment}
          namespace={namespace}
          environments={environments}
          selected={[...selected.values()]}
          onClose={() => setPanel(null)}
        />
      )}
      {valid && list.isPending && <Spinner />}
      {list.isError && !unreachable && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{filtered ? t("configs.emptyFiltered") : t("configs.empty")}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="max-h-[32rem] overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="configs-table">
            <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
              <tr>
                <th className="w-8 px-2 py-1.5">
                  <input
                    type="checkbox"
                    aria-label={t("configs.selectAll")}
                    data-testid="configs-select-all"
                    checked={list.data.items.every((c) => selected.has(keyOf(c)))}
                    onChange={(e) =>
                      setSelected((m) => {
                        const n = new Map(m);
                        for (const c of list.data.items) {
                          if (e.target.checked) n.set(keyOf(c), { group: c.group, dataId: c.dataId });
                          else n.delete(keyOf(c));
                        }
                        return n;
                      })
                    }
                  />
                </th>
                <th className="px-2 py-1.5">{t("configs.dataId")}</th>
                <th className="px-2">{t("configs.group")}</th>
                <th className="px-2">{t("configs.type")}</th>
                <th className="px-2">md5</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr
                  key={`${c.group}/${c.dataId}`}
                  onClick={() => router.push(href(c))}
                  className="cursor-pointer border-t border-slate-100 hover:bg-sky-50 focus-within:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800 dark:focus-within:bg-slate-800"
                >
                  <td className="px-2 py-1.5" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`${t("configs.select")} ${c.group}/${c.dataId}`} data-testid="configs-select" checked={selected.has(keyOf(c))} onChange={() => toggle(c)} />
                  </td>
                  <td className="px-2 py-1.5 font-medium">
                    <Link href={href(c)} className="hover:underline focus:outline-none focus-visible:underline" onClick={(e) => e.stopPropagation()}>
                      {c.dataId}
                    </Link>
                    {onGray(c) && <Badge data-testid="configs-gray-badge" className="ml-2 bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100">{t("configs.grayBadge")}</Badge>}
                  </td>
                  <td className="px-2 text-xs">{c.group}</td>
                  <td className="px-2 text-xs">{c.type ?? "—"}</td>
                  <td className="px-2 font-mono text-xs text-slate-500">{c.md5?.slice(0, 12) ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager page={page} pages={list.data.pages} total={list.data.total} onPage={(p) => setPage(p)} />}
    </div>
  );
}
