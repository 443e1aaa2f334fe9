"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ComparePanel } from "@/components/configs/compare-panel";
import { ConfigEditor } from "@/components/configs/config-editor";
import { DiffConfirm } from "@/components/configs/diff-confirm";
import { GrayPanel } from "@/components/configs/gray-panel";
import { HistoryPanel } from "@/components/configs/history-panel";
import { SampleCode } from "@/components/configs/sample-code";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { UnreachableBanner } from "@/components/services/unreachable-banner";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ErrorState, QueryStates } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useConfigDetail, useDeleteConfig } from "@/lib/configs/hooks";
import type { MessageKey } from "@/lib/i18n/messages";

export type ConfigTab = "edit" | "history" | "gray" | "compare" | "sample";

/**
 * One config's page: its formal content in the editor, history, gray release and sample code,
 * as keyboard-navigable tabs. `canPublish` / `canGray` come from the server's policy decision;
 * the API decides again on every call.
 */
export function ConfigPage({
  environment,
  namespace,
  group,
  dataId,
  canPublish,
  canGray,
  environments,
}: {
  environment: string;
  namespace: string;
  group: string;
  dataId: string;
  canPublish: boolean;
  canGray: boolean;
  /** The Nacos environments the actor may see, for "compare". */
  environments: string[];
}) {
  const { t } = useI18n();
  const router = useRouter();
  const detail = useConfigDetail(environment, namespace, group, dataId);
  const [tab, setTab] = useState<ConfigTab>("edit");
  const [grayDraft, setGrayDraft] = useState<{ content: string; type: string } | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [grayNotice, setGrayNotice] = useState<string | null>(null);
  const del = useDeleteConfig(environment, namespace, group, dataId);

  if (detail.isPending || detail.isError) {
    // Loading, or failed: a Nacos that does not answer is named in its banner, anything else in the error state.
    const unreachable = detail.error instanceof ApiError && detail.error.status >= 502;
    return (
      <>
        {unreachable && <UnreachableBanner environment={environment} system="Nacos" error={detail.error as ApiError} onRetry={() => void detail.refetch()} />}
        <QueryStates query={detail} hideError={unreachable}>
          {() => null}
        </QueryStates>
      </>
    );
  }
  const d = detail.data;
  const tabs: Array<{ id: ConfigTab; label: MessageKey }> = [
    { id: "edit", label: "configs.tab.edit" },
    { id: "history", label: "configs.tab.history" },
    { id: "gray", label: "configs.tab.gray" },
    { id: "compare", label: "configs.tab.compare" },
    { id: "sample", label: "configs.tab.sample" },
  ];
  const onKey = (e: React.KeyboardEvent) => {
    const i = tabs.findIndex((x) => x.id === tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]!;
    setTab(target.id);
    document.getElementById(`config-tab-${target.id}`)?.focus();
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <Badge>{d.formal?.type ?? "—"}</Badge>
        {d.prod && <Badge tone="danger">tier=prod</Badge>}
        {d.gray && <Badge tone="warning">{t("configs.grayBadge")}</Badge>}
        {canPublish && d.formal && (
          <Button variant="ghost" className="ml-auto px-2 py-1 text-xs text-red-700 dark:text-red-300" onClick={() => (del.reset(), setDeleting(true))} data-testid="config-delete">
            {t("configs.delete")}
          </Button>
        )}
      </div>
      <div role="tablist" aria-label={t("configs.tabs")} onKeyDown={onKey} className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {tabs.map((x) => (
          <button
            key={x.id}
            id={`config-tab-${x.id}`}
            role="tab"
            type="button"
            aria-selected={tab === x.id}
            tabIndex={tab === x.id ? 0 : -1}
            aria-controls={`config-panel-${x.id}`}
            onClick={() => setTab(x.id)}
            data-testid={`config-tab-${x.id}`}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm ${tab === x.id ? "border-sky-700 font-medium text-sky-800 dark:border-sky-400 dark:text-sky-200" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"}`}
          >
            {t(x.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`config-panel-${tab}`} aria-labelledby={`config-tab-${tab}`}>
        {tab === "edit" &&
          (d.formal ? (
            <ConfigEditor
              key={d.formal.md5 === undefined ? "none" : "formal"}
              detail={{ ...d, formal: d.formal }}
              canPublish={canPublish}
              onStartGray={canGray ? (draft) => (setGrayDraft(draft), setTab("gray")) : undefined}
            />
          ) : (
            <Banner tone="info">{t("configs.onlyBeta")}</Banner>
          ))}
        {tab === "history" && <HistoryPanel detail={d} canPublish={canPublish} />}
        {tab === "gray" && <GrayPanel key={d.gray?.id ?? "none"} detail={d} draft={grayDraft} canGray={canGray} canPublish={canPublish} onDone={() => setGrayDraft(null)} done={grayNotice} setDone={setGrayNotice} />}
        {tab === "compare" && <ComparePanel detail={d} environments={environments} />}
        {tab === "sample" && <SampleCode namespace={namespace} group={group} dataId={dataId} type={d.formal?.type ?? "text"} />}
      </div>
      {deleting && d.formal && (
        <DiffConfirm
          title={t("configs.confirmDelete", { dataId, environment })}
          before={d.formal.content}
          after=""
          confirmLabel={t("configs.delete")}
          danger
          pending={del.isPending}
          error={del.isError ? <ErrorState error={del.error} /> : undefined}
          onConfirm={() => del.mutate(d.formal!.md5, { onSuccess: () => router.push("/configs") })}
          onCancel={() => setDeleting(false)}
        />
      )}
    </div>
  );
}
