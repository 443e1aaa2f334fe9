"use client";

import { useEffect, useState } from "react";
import { LazyCodeEditor } from "@/components/editor/code-editor";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ApplyPanel } from "@/components/mesh/apply-panel";
import { IssueList } from "@/components/mesh/issues";
import { Banner } from "@/components/ui/banner";
import { ErrorState, Spinner } from "@/components/ui/states";
import { usePolicy, useValidate } from "@/lib/mesh/hooks";
import type { MeshKind } from "@/lib/mesh/model/kinds";

const TEMPLATE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
`;

/**
 * The YAML editor (the configs area's CodeMirror): every keystroke is validated after a pause —
 * the CRD schema read from the cluster and every mesh rule — and problems are shown at their line;
 * then the usual preview (diff, dry run), confirmation and guarded write.
 */
export function MeshYamlEditor({ environment, namespace, kind, name }: { environment: string; namespace: string; kind?: MeshKind; name?: string }) {
  const { t, locale } = useI18n();
  const editing = Boolean(kind && name);
  const live = usePolicy(environment, namespace, kind ?? "VirtualService", name ?? "", editing);
  if (editing && live.isPending) return <Spinner />;
  if (editing && live.isError) return <ErrorState error={live.error} onRetry={() => void live.refetch()} />;
  return <EditorBody key={live.data?.object.metadata.resourceVersion ?? "new"} environment={environment} namespace={namespace} initial={live.data?.yaml ?? TEMPLATE} locale={locale} t={t} />;
}

function EditorBody({ environment, namespace, initial, locale, t }: { environment: string; namespace: string; initial: string; locale: string; t: ReturnType<typeof useI18n>["t"] }) {
  const [text, setText] = useState(initial);
  const [settled, setSettled] = useState(initial);
  useEffect(() => {
    const id = setTimeout(() => setSettled(text), 400);
    return () => clearTimeout(id);
  }, [text]);
  const report = useValidate(environment, namespace, settled);
  const issues = report.data?.issues ?? [];
  const diagnostics = issues
    .filter((i) => i.line !== undefined && i.severity !== "info")
    .map((i) => ({ line: i.line!, column: i.column ?? 1, message: `${i.ruleId}: ${locale === "zh-CN" ? i.messageZh : i.message}`, severity: i.severity as "error" | "warning" }));
  const targets = report.data?.targets ?? [];
  const current = settled === text;
  return (
    <div className="space-y-3">
      <LazyCodeEditor value={text} onChange={setText} language="yaml" diagnostics={diagnostics} ariaLabel={t("mesh.editor.label")} height="26rem" testId="mesh-yaml-editor" />
      <div aria-live="polite" data-testid="mesh-validation">
        {(report.isFetching || !current) && <p className="text-xs text-slate-500">{t("mesh.editor.validating")}</p>}
        {report.isError && <ErrorState error={report.error} />}
        {report.data && current && !report.isFetching && (
          <>
            {issues.length === 0 ? <p className="text-sm text-emerald-800 dark:text-emerald-300">{t("mesh.editor.valid")}</p> : <IssueList issues={issues} />}
            {report.data.notes.map((n, i) => (
              <Banner key={i} tone="info" className="mt-2">
                {locale === "zh-CN" ? n.messageZh : n.message}
              </Banner>
            ))}
            {targets.length > 1 && <p className="text-xs text-red-700 dark:text-red-300">{t("mesh.editor.oneObject", { count: targets.length })}</p>}
            {targets.length === 0 && <p className="text-xs text-red-700 dark:text-red-300">{t("mesh.editor.needKindName")}</p>}
          </>
        )}
      </div>
      <ApplyPanel
        environment={environment}
        namespace={namespace}
        objects={targets.length === 1 ? [{ kind: targets[0]!.kind, name: targets[0]!.name, yaml: settled }] : []}
        disabled={!current || !report.data || targets.length !== 1 || report.isFetching}
      />
    </div>
  );
}
