"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { NamespaceOptions } from "@/components/configs/namespace-options";
import { TransferPanel } from "@/components/configs/transfer-panel";
import { UnreachableBanner } from "@/components/services/unreachable-banner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ExportCsvButton, ExportError, FilterToggle, ListToolbar, TOOLBAR_BUTTON, ToolbarField, useCsvExport } from "@/components/ui/list-toolbar";
import { Pager } from "@/components/ui/pager";
import { ErrorState, QueryStates } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { ApiError } from "@/lib/api-client";
import { downloadConfigsZip, fetchConfigsPage, useConfigBetas, useConfigNamespaces, useConfigs, type TransferKind } from "@/lib/configs/hooks";
import { CONFIG_TYPES, configPagePath, type ConfigListParams } from "@/lib/configs/keys";
import type { ConfigListItem } from "@/lib/configs/views";

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
  const csv = useCsvExport<ConfigListItem>({
    fetchPage: (p) => fetchConfigsPage(environment, namespace, { ...params, page: p, pageSize: 500 }),
    header: ["dataId", "group", "type", "md5", "gray"],
    row: (r) => [r.dataId, r.group, r.type, r.md5, r.gray],
    filename: `configs-${environment}-${namespace || "public"}.csv`,
  });
  const [zipError, setZipError] = useState<unknown>(null);
  /** Selected rows, by "group/dataId" (kept across pages; cleared when the namespace changes). */
  const [selected, setSelected] = useState<Map<string, { group: string; dataId: string }>>(new Map());
  const [panel, setPanel] = useState<TransferKind | null>(null);
  const [zipping, setZipping] = useState(false);
  const [zipDone, setZipDone] = useState<{ count: number; redacted: number } | null>(null);

  async function exportZip(): Promise<void> {
    setZipError(null);
    setZipDone(null);
    setZipping(true);
    try {
      setZipDone(await downloadConfigsZip(environment, namespace, selected.size > 0 ? [...selected.values()] : null));
    } catch (e) {
      setZipError(e);
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

  const reset = <T,>(set: (v: T) => void) => (v: T) => (set(v), setPage(1));
  const href = (c: ConfigListItem) => configPagePath(environment, namespace, c.group, c.dataId);
  const unreachable = list.error instanceof ApiError && list.error.status >= 502;
  const filtered = dataId !== "" || group !== "" || type !== "" || grayOnly;

  return (
    <div className="space-y-4">
      {unreachable && <UnreachableBanner environment={environment} system="Nacos" error={list.error as ApiError} onRetry={() => void list.refetch()} />}
      <ListToolbar testId="configs-toolbar">
        <ToolbarField label={t("configs.namespace")}>
          <Select
            value={namespace}
            onChange={(e) => {
              reset(setNamespace)(e.target.value);
              setSelected(new Map());
              setPanel(null);
            }}
            data-testid="configs-namespace"
          >
            <NamespaceOptions namespaces={namespaces.data} value={namespace} />
          </Select>
        </ToolbarField>
        <ToolbarField label={t("configs.dataId")}>
          <Input
            className="w-44"
            value={dataId}
            onChange={(e) => reset(setDataId)(e.target.value)}
            aria-invalid={!TERM.test(dataId)}
            data-testid="configs-search-dataid"
            placeholder={t("configs.searchHint")}
          />
        </ToolbarField>
        <ToolbarField label={t("configs.group")}>
          <Input className="w-36" value={group} onChange={(e) => reset(setGroup)(e.target.value)} aria-invalid={!TERM.test(group)} data-testid="configs-search-group" />
        </ToolbarField>
        <ToolbarField label={t("configs.match")}>
          <Select value={match} onChange={(e) => reset(setMatch)(e.target.value as "contains" | "exact")} data-testid="configs-match">
            <option value="contains">{t("configs.matchContains")}</option>
            <option value="exact">{t("configs.matchExact")}</option>
          </Select>
        </ToolbarField>
        <ToolbarField label={t("configs.type")}>
          <Select value={type} onChange={(e) => reset(setType)(e.target.value)} data-testid="configs-type">
            <option value="">{t("configs.anyType")}</option>
            {CONFIG_TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </Select>
        </ToolbarField>
        <FilterToggle pressed={grayOnly} onToggle={() => reset(setGrayOnly)(!grayOnly)} tone="warning" testId="configs-gray-only">
          {t("configs.grayOnly")}
        </FilterToggle>
        {list.data && <ExportCsvButton csv={csv} label={t("configs.exportCsv")} busyLabel={(p) => t("configs.exportingCsv", p)} testId="configs-export" />}
        <Button variant="secondary" className={TOOLBAR_BUTTON} disabled={zipping} onClick={() => void exportZip()} data-testid="configs-export-zip">
          {zipping ? t("configs.exportingZip") : selected.size > 0 ? t("configs.exportZipSelected", { count: selected.size }) : t("configs.exportZip")}
        </Button>
        {canCreate && (
          <Button variant="secondary" className={TOOLBAR_BUTTON} onClick={() => setPanel("import")} data-testid="configs-import-zip">
            {t("configs.importZip")}
          </Button>
        )}
        {canCreate && selected.size > 0 && (
          <Button variant="secondary" className={TOOLBAR_BUTTON} onClick={() => setPanel("clone")} data-testid="configs-clone">
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
            className="whitespace-nowrap rounded-md border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
            data-testid="configs-new"
          >
            {t("configs.new")}
          </Link>
        )}
      </ListToolbar>
      {!valid && <p className="text-xs text-red-700 dark:text-red-300">{t("configs.searchInvalid")}</p>}
      <ExportError csv={csv} />
      {zipError !== null && <ErrorState error={zipError} />}
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
      {valid && (
        <QueryStates query={list} hideError={unreachable} isEmpty={(d) => d.items.length === 0} empty={filtered ? t("configs.emptyFiltered") : t("configs.empty")}>
          {(d) => (
            <DataTable
              testId="configs-table"
              maxHeight="32rem"
              columns={[
                <input
                  key="all"
                  type="checkbox"
                  aria-label={t("configs.selectAll")}
                  data-testid="configs-select-all"
                  checked={d.items.every((c) => selected.has(keyOf(c)))}
                  onChange={(e) =>
                    setSelected((m) => {
                      const n = new Map(m);
                      for (const c of d.items) {
                        if (e.target.checked) n.set(keyOf(c), { group: c.group, dataId: c.dataId });
                        else n.delete(keyOf(c));
                      }
                      return n;
                    })
                  }
                />,
                t("configs.dataId"),
                t("configs.group"),
                t("configs.type"),
                "md5",
              ]}
            >
              {d.items.map((c) => (
                <tr
                  key={`${c.group}/${c.dataId}`}
                  onClick={() => router.push(href(c))}
                  className="cursor-pointer border-t border-slate-100 hover:bg-sky-50 focus-within:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800 dark:focus-within:bg-slate-800"
                >
                  <td className="w-8 px-2 py-1.5" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`${t("configs.select")} ${c.group}/${c.dataId}`} data-testid="configs-select" checked={selected.has(keyOf(c))} onChange={() => toggle(c)} />
                  </td>
                  <td className="px-2 py-1.5 font-medium">
                    <Link href={href(c)} className="hover:underline focus:outline-none focus-visible:underline" onClick={(e) => e.stopPropagation()}>
                      {c.dataId}
                    </Link>
                    {onGray(c) && <Badge tone="warning" data-testid="configs-gray-badge" className="ml-2">{t("configs.grayBadge")}</Badge>}
                  </td>
                  <td className="px-2 text-xs">{c.group}</td>
                  <td className="px-2 text-xs">{c.type ?? "—"}</td>
                  <td className="px-2 font-mono text-xs text-slate-500">{c.md5?.slice(0, 12) ?? "—"}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </QueryStates>
      )}
      {list.data && <Pager page={page} pages={list.data.pages} total={list.data.total} onPage={(p) => setPage(p)} />}
    </div>
  );
}
