"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { NamespaceOptions } from "@/components/configs/namespace-options";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/input";
import { ErrorState, Spinner } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { fetchTransferPreview, runTransfer, useConfigNamespaces, type ConfigKeyRef, type TransferKind } from "@/lib/configs/hooks";
import { configKeys, transferReasonCode } from "@/lib/configs/keys";
import type { TransferPlanItemView, TransferPreviewView, TransferResultView } from "@/lib/configs/views";

type Policy = "abort" | "skip" | "overwrite";

/** lib/configs/zip-layout.ts ZIP_LIMITS.maxZipBytes: refused here before uploading. */
const MAX_ZIP_BYTES = 5 * 1024 * 1024;

const ACTION_TONE: Record<TransferPlanItemView["action"], BadgeTone> = { create: "success", overwrite: "warning", skip: "neutral", fail: "danger" };
const OUTCOME_TONE: Record<TransferResultView["items"][number]["outcome"], BadgeTone> = {
  created: ACTION_TONE.create,
  overwritten: ACTION_TONE.overwrite,
  skipped: ACTION_TONE.skip,
  failed: ACTION_TONE.fail,
};

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Import a zip (Nacos' layout) into this namespace, or clone the selected configs to another
 * namespace or environment: choose → preview (the plan per item, diffs of creates and
 * overwrites) → confirm → progress → per-item results. The server re-checks every key against
 * the md5 the preview showed, so nothing is written over a version nobody saw.
 */
export function TransferPanel({
  kind,
  environment,
  namespace,
  environments,
  selected,
  onClose,
}: {
  kind: TransferKind;
  environment: string;
  namespace: string;
  environments: string[];
  selected: ConfigKeyRef[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<Policy>("abort");
  const [targetEnv, setTargetEnv] = useState(environment);
  const [targetNs, setTargetNs] = useState("");
  const targetNamespaces = useConfigNamespaces(targetEnv);
  const [preview, setPreview] = useState<TransferPreviewView | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<TransferResultView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const nsLabel = (ns: string) => ns || t("configs.publicNs");

  async function body(): Promise<Record<string, unknown>> {
    if (kind === "import") return { namespace, policy, zip: file ? await base64Of(file) : "" };
    return { namespace, items: selected, targetEnvironment: targetEnv, targetNamespace: targetNs, policy };
  }

  async function runPreview(): Promise<void> {
    setError(null);
    setResult(null);
    setPreview(null);
    setPreviewing(true);
    try {
      setPreview(await fetchTransferPreview(kind, environment, await body()));
    } catch (e) {
      setError(e);
    } finally {
      setPreviewing(false);
    }
  }

  async function write(): Promise<void> {
    if (!preview) return;
    setError(null);
    setProgress({ done: 0, total: preview.items.length });
    try {
      const r = await runTransfer(kind, environment, { ...(await body()), expected: preview.expected }, (p) => setProgress({ done: p.done, total: p.total }));
      setResult(r);
      setPreview(null);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
      setConfirming(false);
      void qc.invalidateQueries({ queryKey: configKeys.environment(environment) });
      if (targetEnv !== environment) void qc.invalidateQueries({ queryKey: configKeys.environment(targetEnv) });
    }
  }

  const counts = preview?.plan.counts;
  const toWrite = counts ? counts.create + counts.overwrite : 0;
  const blocked = preview?.plan.policy === "abort" && (counts?.fail ?? 0) > 0;
  const targetLabel = kind === "import" ? { environment, namespace: nsLabel(namespace) } : { environment: targetEnv, namespace: nsLabel(targetNs) };
  const tooLarge = file !== null && file.size > MAX_ZIP_BYTES;
  const ready = kind === "import" ? file !== null && !tooLarge : !(targetEnv === environment && targetNs === namespace);
  const toggle = (path: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(path)) n.delete(path);
      else n.add(path);
      return n;
    });

  return (
    <Card
      title={kind === "import" ? t("configs.transfer.importTitle", { environment, namespace: nsLabel(namespace) }) : t("configs.transfer.cloneTitle", { count: selected.length, environment, namespace: nsLabel(namespace) })}
      hint={kind === "import" ? t("configs.transfer.importHint") : t("configs.transfer.cloneHint")}
      actions={
        <Button variant="secondary" onClick={onClose} data-testid="transfer-close">
          {t("configs.transfer.close")}
        </Button>
      }
    >
      <div className="space-y-3" data-testid={`transfer-${kind}`}>
        <div className="flex flex-wrap items-end gap-3">
          {kind === "import" ? (
            <label className="text-xs">
              {t("configs.transfer.file")}
              <input
                type="file"
                accept=".zip,application/zip"
                className="peer sr-only"
                data-testid="transfer-file"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPreview(null);
                  setResult(null);
                }}
              />
              <span className="ml-2 inline-flex cursor-pointer items-center rounded-md border border-slate-300 px-3 py-2 text-sm font-medium peer-focus-visible:ring-2 peer-focus-visible:ring-sky-500 dark:border-slate-600">
                {t("configs.transfer.chooseFile")}
              </span>
              <span className="ml-2 font-mono text-xs text-slate-600 dark:text-slate-300" data-testid="transfer-file-name">
                {file?.name ?? t("configs.transfer.noFile")}
              </span>
            </label>
          ) : (
            <>
              <label className="text-xs">
                {t("configs.transfer.targetEnv")}
                <Select className="ml-2" value={targetEnv} onChange={(e) => (setTargetEnv(e.target.value), setTargetNs(""), setPreview(null))} data-testid="transfer-target-env" options={environments} />
              </label>
              <label className="text-xs">
                {t("configs.transfer.targetNs")}
                <Select className="ml-2" value={targetNs} onChange={(e) => (setTargetNs(e.target.value), setPreview(null))} data-testid="transfer-target-ns">
                  <NamespaceOptions namespaces={targetNamespaces.data} value={targetNs} />
                </Select>
              </label>
            </>
          )}
          <label className="text-xs">
            {t("configs.transfer.policy")}
            <Select className="ml-2" value={policy} onChange={(e) => (setPolicy(e.target.value as Policy), setPreview(null))} data-testid="transfer-policy">
              <option value="abort">{t("configs.transfer.policy.abort")}</option>
              <option value="skip">{t("configs.transfer.policy.skip")}</option>
              <option value="overwrite">{t("configs.transfer.policy.overwrite")}</option>
            </Select>
          </label>
          <Button variant="secondary" disabled={!ready || previewing || progress !== null} onClick={() => void runPreview()} data-testid="transfer-preview">
            {t("configs.transfer.preview")}
          </Button>
        </div>

        {tooLarge && (
          <p className="text-sm text-red-700 dark:text-red-300" role="alert">
            {t("configs.transfer.zipTooLarge", { mb: MAX_ZIP_BYTES / 1024 / 1024 })}
          </p>
        )}
        {previewing && <Spinner label={t("configs.transfer.previewing")} />}
        {error !== null && <ErrorState error={error} />}

        {preview && counts && (
          <div className="space-y-2" data-testid="transfer-plan">
            <p className="text-sm" data-testid="transfer-plan-summary">
              {t("configs.transfer.planSummary", { create: counts.create, overwrite: counts.overwrite, skip: counts.skip, fail: counts.fail })}
            </p>
            {blocked && <p className="text-sm text-red-700 dark:text-red-300">{t("configs.transfer.abortBlocked")}</p>}
            <PlanTable items={preview.items} open={open} onToggle={toggle} />
            <div className="flex items-center gap-3">
              <Button disabled={toWrite === 0 || blocked || progress !== null} onClick={() => setConfirming(true)} data-testid="transfer-run">
                {t("configs.transfer.run", { count: toWrite })}
              </Button>
              {toWrite === 0 && <span className="text-xs text-slate-500">{t("configs.transfer.nothingToWrite")}</span>}
            </div>
          </div>
        )}

        {progress && (
          <div role="status" aria-live="polite" className="space-y-1" data-testid="transfer-progress">
            <p className="text-sm">{t("configs.transfer.progress", { done: progress.done, total: progress.total })}</p>
            <progress className="h-2 w-full" max={Math.max(1, progress.total)} value={progress.done} />
          </div>
        )}

        {result && <ResultTable result={result} />}

        {confirming && preview && counts && (
          <ConfirmDialog
            title={t("configs.transfer.confirmTitle", { count: toWrite, ...targetLabel })}
            confirmLabel={t("configs.transfer.confirm")}
            danger={counts.overwrite > 0}
            pending={progress !== null}
            onConfirm={() => void write()}
            onCancel={() => setConfirming(false)}
            diff={
              <ul className="max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950" data-testid="confirm-diff">
                {preview.items
                  .filter((i) => i.action === "create" || i.action === "overwrite")
                  .map((i) => (
                    <li key={i.path} className={i.action === "create" ? "text-emerald-800 dark:text-emerald-300" : "text-amber-800 dark:text-amber-300"}>
                      {i.action === "create" ? "+ " : "~ "}
                      {i.path}
                    </li>
                  ))}
              </ul>
            }
          >
            {t("configs.transfer.confirmBody")}
          </ConfirmDialog>
        )}
      </div>
    </Card>
  );
}

function PlanTable({ items, open, onToggle }: { items: TransferPlanItemView[]; open: Set<string>; onToggle: (path: string) => void }) {
  const { t } = useI18n();
  return (
    <DataTable testId="transfer-plan-table" maxHeight="28rem" columns={[t("configs.transfer.item"), t("configs.transfer.action"), t("configs.transfer.reason"), ""]}>
      {items.map((i) => (
        <Fragment key={i.path}>
          <tr className="border-t border-slate-100 dark:border-slate-800" data-testid="transfer-plan-row" data-path={i.path} data-action={i.action}>
            <ItemCells path={i.path} tone={ACTION_TONE[i.action]} label={t(`configs.transfer.action.${i.action}`)} reason={i.reason} />
            <td className="whitespace-nowrap px-2 text-right">
              {(i.action === "overwrite" || i.action === "create") && (
                <button type="button" className="text-xs text-sky-700 underline dark:text-sky-300" aria-expanded={open.has(i.path)} onClick={() => onToggle(i.path)} data-testid="transfer-diff-toggle">
                  {open.has(i.path) ? t("configs.transfer.hideDiff") : t("configs.transfer.showDiff")}
                </button>
              )}
            </td>
          </tr>
          {open.has(i.path) && (
            <tr>
              <td colSpan={4} className="px-2 pb-2">
                {i.after !== undefined ? (
                  <DiffView before={i.before ?? ""} after={i.after} beforeLabel={t("configs.transfer.current")} afterLabel={t("configs.transfer.incoming")} maxHeight="18rem" testId="transfer-diff" />
                ) : (
                  <p className="text-xs text-slate-500">{t("configs.transfer.noDiff")}</p>
                )}
              </td>
            </tr>
          )}
        </Fragment>
      ))}
    </DataTable>
  );
}

/** An item's cells in the plan and in the results: its path, what happens (or happened) to it, and why. */
function ItemCells({ path, tone, label, reason }: { path: string; tone: BadgeTone; label: string; reason?: string }) {
  return (
    <>
      <td className="px-2 py-1.5 font-mono text-xs">{path}</td>
      <td className="px-2">
        <Badge tone={tone}>{label}</Badge>
      </td>
      <td className="px-2 text-xs text-slate-600 dark:text-slate-300">
        <Reason reason={reason} />
      </td>
    </>
  );
}

/** A reason in the reader's language; the server's own words (line and column, a backend message) beside it where they add something. */
function Reason({ reason }: { reason?: string }) {
  const { t } = useI18n();
  if (!reason) return null;
  const code = transferReasonCode(reason);
  return (
    <span title={reason} data-reason={code}>
      {t(`configs.transfer.reason.${code}`)}
      {(code === "invalidContent" || code === "other" || code === "badType") && <span className="ml-1 font-mono text-[11px] text-slate-500 dark:text-slate-400">({reason})</span>}
    </span>
  );
}

function ResultTable({ result }: { result: TransferResultView }) {
  const { t } = useI18n();
  const c = result.counts;
  return (
    <div className="space-y-2" data-testid="transfer-result">
      <p className="text-sm font-medium" role="status" data-testid="transfer-result-summary">
        {t("configs.transfer.done", { created: c.created, overwritten: c.overwritten, skipped: c.skipped, failed: c.failed })}
      </p>
      <DataTable testId="transfer-result-table" maxHeight="28rem" columns={[t("configs.transfer.item"), t("configs.transfer.result"), t("configs.transfer.reason")]}>
        {result.items.map((i) => (
          <tr key={i.path} className="border-t border-slate-100 dark:border-slate-800" data-testid="transfer-result-row" data-path={i.path} data-outcome={i.outcome}>
            <ItemCells path={i.path} tone={OUTCOME_TONE[i.outcome]} label={t(`configs.transfer.outcome.${i.outcome}`)} reason={i.reason} />
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
