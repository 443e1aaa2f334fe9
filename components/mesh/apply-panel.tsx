"use client";

import Link from "next/link";
import { useState } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { useI18n } from "@/components/i18n/i18n-provider";
import { IssueList } from "@/components/mesh/issues";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import type { PreviewResult } from "@/lib/kube-objects";
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";
import { previewPolicy, useApplyPolicies, useInjectFault } from "@/lib/mesh/hooks";
import { meshPaths } from "@/lib/mesh/keys";
import { MESH_KIND_NAMES, type MeshKind } from "@/lib/mesh/model/kinds";

export interface DesiredObject {
  kind: MeshKind;
  name: string;
  /** The object as JSON (wizards) or … */
  object?: Record<string, unknown>;
  /** … as YAML (the editor: problems then come with their line). */
  yaml?: string;
}

interface Previewed extends DesiredObject {
  preview: PreviewResult;
}

type Outcome =
  | { tone: "success" | "warning" | "error"; text: string; live?: { yaml: string; diff: Array<{ op: string; text: string }> } }
  | null;

/**
 * What every mesh change goes through (issue #14 item 5): the objects the form produced are
 * previewed (issues, resulting YAML, diff against the live object, the API server's dry run);
 * Apply opens a confirmation with the whole diff; the write carries the resourceVersion seen
 * at preview, so a change made meanwhile answers 409 with the live object, shown here.
 * `fault`: the single VirtualService goes through the fault endpoint with its deadline.
 */
export function ApplyPanel({
  environment,
  namespace,
  objects,
  disabled,
  fault,
}: {
  environment: string;
  namespace: string;
  objects: DesiredObject[];
  /** The form is invalid: nothing to preview yet. */
  disabled: boolean;
  fault?: { deadlineSeconds: number | null };
}) {
  const { t, locale } = useI18n();
  const [previewed, setPreviewed] = useState<Previewed[] | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  /** When the confirmation opened (for the fault's expected revert time); null when closed. */
  const [confirming, setConfirming] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const many = useApplyPolicies(environment, namespace);
  const faultWrite = useInjectFault(environment, namespace);
  const fmt = new Intl.DateTimeFormat(locale, { timeStyle: "medium" });

  async function preview() {
    setLoading(true);
    setPreviewError(null);
    setOutcome(null);
    try {
      const out: Previewed[] = [];
      for (const o of objects) out.push({ ...o, preview: await previewPolicy(environment, { kind: o.kind, namespace, name: o.name, object: o.object, yaml: o.yaml, resourceVersion: null }) });
      setPreviewed(out);
    } catch (e) {
      setPreviewed(null);
      setPreviewError(e);
    } finally {
      setLoading(false);
    }
  }

  const issues: ObjectIssue[] = previewed?.flatMap((p) => p.preview.issues) ?? [];
  const blocked = !previewed || issues.some((i) => i.severity === "error") || previewed.some((p) => p.preview.dryRun?.ok === false);
  const changed = previewed?.filter((p) => !p.preview.unchanged) ?? [];

  async function apply() {
    if (!previewed) return;
    const seen = (p: Previewed) => p.preview.live?.metadata.resourceVersion ?? null;
    try {
      if (fault) {
        const p = previewed[0]!;
        const r = await faultWrite.mutateAsync({ name: p.name, object: p.object ?? {}, resourceVersion: seen(p), deadlineSeconds: fault.deadlineSeconds });
        setOutcome({ tone: "success", text: `${t("mesh.result.applied", { objects: `${MESH_KIND_NAMES[p.kind]}/${p.name}` })}${r.deadline ? ` ${t("mesh.result.deadline", { time: fmt.format(new Date(r.deadline.revertAt)) })}` : ""}` });
      } else {
        const r = await many.mutateAsync(changed.map((p) => ({ kind: p.kind, name: p.name, object: p.object, yaml: p.yaml, resourceVersion: seen(p) })));
        const names = (s: Array<{ kind: string; name: string }>) => s.map((x) => `${MESH_KIND_NAMES[x.kind as MeshKind] ?? x.kind}/${x.name}`).join(", ") || "—";
        if (r.outcome === "partial") {
          setOutcome({
            tone: "error",
            text: t("mesh.result.partial", {
              failed: names(r.failed ? [r.failed] : []),
              message: r.failed?.error?.message ?? "",
              reverted: names(r.reverted),
              revertFailed: r.revertFailed.length ? t("mesh.result.revertFailed", { objects: names(r.revertFailed) }) : "",
            }),
          });
        } else setOutcome({ tone: "success", text: t("mesh.result.applied", { objects: names(r.applied) }) });
      }
      setPreviewed(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const body = e.body as { live?: unknown; diff?: Array<{ op: string; text: string }> };
        setOutcome({ tone: "warning", text: t("mesh.result.conflict", { message: e.detail }), live: { yaml: "", diff: body.diff ?? [] } });
      } else if (e instanceof ApiError && e.status === 422) {
        setOutcome({ tone: "error", text: t("mesh.result.invalid") });
        setPreviewError(e);
      } else setPreviewError(e);
      setPreviewed(null);
    } finally {
      setConfirming(null);
    }
  }

  const pending = many.isPending || faultWrite.isPending;
  const before = previewed?.map((p) => p.preview.liveYaml).join("---\n") ?? "";
  const after = previewed?.map((p) => p.preview.desiredYaml).join("---\n") ?? "";

  return (
    <div className="space-y-3" data-testid="apply-panel">
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => void preview()} disabled={disabled || loading || objects.length === 0} data-testid="mesh-preview">
          {loading ? t("mesh.previewing") : t("mesh.preview")}
        </Button>
        <Button onClick={() => setConfirming(Date.now())} disabled={blocked || pending || changed.length === 0} data-testid="mesh-apply">
          {t("mesh.apply")}
        </Button>
      </div>
      {outcome && (
        <Banner tone={outcome.tone} data-testid="mesh-outcome" role="status">
          {outcome.text}
          {outcome.live && outcome.live.diff.length > 0 && (
            <pre className="mt-2 max-h-60 overflow-auto rounded bg-white/60 p-2 font-mono text-xs dark:bg-slate-950/60" data-testid="mesh-conflict-diff">
              {outcome.live.diff.map((l, i) => (
                <div key={i}>{`${l.op === "add" ? "+ " : l.op === "del" ? "- " : "  "}${l.text}`}</div>
              ))}
            </pre>
          )}
        </Banner>
      )}
      {previewError !== null && <ErrorState error={previewError} />}
      {previewError instanceof ApiError && Array.isArray((previewError.body as { issues?: unknown }).issues) && <IssueList issues={(previewError.body as { issues: ObjectIssue[] }).issues} />}
      {previewed && (
        <section className="space-y-4 rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid="mesh-preview-result" aria-label={t("mesh.preview.title")}>
          <h2 className="text-sm font-semibold">{t("mesh.preview.title")}</h2>
          {previewed.map((p) => (
            <div key={`${p.kind}/${p.name}`} className="space-y-2" data-testid="mesh-preview-object">
              <h3 className="text-sm font-medium">
                {p.preview.live ? (
                  <Link className="hover:underline" href={meshPaths.object(environment, namespace, p.kind, p.name)}>
                    {MESH_KIND_NAMES[p.kind]}/{p.name}
                  </Link>
                ) : (
                  `${MESH_KIND_NAMES[p.kind]}/${p.name}`
                )}{" "}
                <span className="text-xs font-normal text-slate-500">{p.preview.live ? (p.preview.unchanged ? t("mesh.preview.unchanged") : `resourceVersion ${p.preview.live.metadata.resourceVersion}`) : t("mesh.preview.new")}</span>
              </h3>
              <IssueList issues={p.preview.issues} />
              {p.preview.dryRun &&
                (p.preview.dryRun.ok ? (
                  <p className="text-xs text-emerald-800 dark:text-emerald-300">{t("mesh.preview.dryRunOk")}</p>
                ) : (
                  <p className="text-xs text-red-800 dark:text-red-300">{t("mesh.preview.dryRunFailed", { message: p.preview.dryRun.message })}</p>
                ))}
              <details open={!p.preview.live}>
                <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-400">{t("mesh.preview.yaml")}</summary>
                <pre className="mt-1 max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950" data-testid="mesh-preview-yaml">
                  {p.preview.desiredYaml}
                </pre>
              </details>
              {p.preview.live && !p.preview.unchanged && (
                <div>
                  <p className="text-xs text-slate-600 dark:text-slate-400">{t("mesh.preview.diff")}</p>
                  <DiffView before={p.preview.liveYaml} after={p.preview.desiredYaml} testId="mesh-preview-diff" />
                </div>
              )}
            </div>
          ))}
          {blocked && <p className="text-xs text-red-800 dark:text-red-300">{t("mesh.preview.blocked")}</p>}
          {!blocked && changed.length === 0 && <p className="text-xs">{t("mesh.result.unchanged")}</p>}
        </section>
      )}
      {confirming !== null && previewed && (
        <ConfirmDialog
          title={t("mesh.confirm.title", { count: changed.length, namespace })}
          before={before}
          after={after}
          confirmLabel={t("mesh.confirm.apply")}
          pending={pending}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(null)}
        >
          {fault?.deadlineSeconds ? <p>{t("mesh.confirm.faultDeadline", { time: fmt.format(new Date(confirming + fault.deadlineSeconds * 1000)) })}</p> : null}
        </ConfirmDialog>
      )}
    </div>
  );
}
