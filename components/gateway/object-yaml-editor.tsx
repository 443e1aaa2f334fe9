"use client";

import { useState } from "react";
import { LazyCodeEditor } from "@/components/editor/code-editor";
import { useI18n } from "@/components/i18n/i18n-provider";
import { IssueList } from "@/components/gateway/status-badges";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input, Select } from "@/components/ui/input";
import { ErrorState } from "@/components/ui/states";
import { useApplyObject, usePreviewObject, type PreviewAnswer } from "@/lib/gateway/hooks";
import { parseObjectsYaml, toYaml } from "@/lib/kube-objects/model/yaml-source";

export type GatewayObjectKind = "Gateway" | "IstioGateway";

/** New objects: the namespace comes from the field above the editor, not from the YAML. */
const TEMPLATES: Record<GatewayObjectKind, (name: string) => unknown> = {
  Gateway: (name) => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name },
    spec: { gatewayClassName: "higress", listeners: [{ name: "http", hostname: "*.example.com", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }] },
  }),
  IstioGateway: (name) => ({
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name },
    spec: { selector: { istio: "ingressgateway" }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*.example.com"] }] },
  }),
};

/**
 * Create or edit a Gateway (Gateway API) or an Istio Gateway as YAML: checked against the CRD
 * schema with problems at their line, previewed (SY checks, the API server's dry run, the diff
 * against the live object) and written only after confirmation, with the resourceVersion loaded.
 */
export function ObjectYamlEditor({ environment, kind: initialKind, namespace: initialNs, name: initialName, object, resourceVersion, onDone }: { environment: string; kind?: GatewayObjectKind; namespace?: string; name?: string; object?: unknown; resourceVersion: string | null; onDone: () => void }) {
  const { t } = useI18n();
  const isNew = resourceVersion === null;
  const [kind, setKind] = useState<GatewayObjectKind>(initialKind ?? "Gateway");
  const [namespace, setNamespace] = useState(initialNs ?? "default");
  const [name, setName] = useState(initialName ?? "");
  const [yaml, setYaml] = useState(() => toYaml(object ?? TEMPLATES[initialKind ?? "Gateway"]("edge")));
  const [review, setReview] = useState<PreviewAnswer | null>(null);
  const preview = usePreviewObject(environment);
  const apply = useApplyObject(environment);
  const nameFromYaml = () => {
    const p = parseObjectsYaml(yaml);
    const o = p.ok ? (p.documents[0]?.object as { metadata?: { name?: unknown } } | undefined) : undefined;
    return typeof o?.metadata?.name === "string" ? o.metadata.name : name;
  };
  const ref = () => ({ kind, namespace, name: isNew ? nameFromYaml() : name });
  const diagnostics = (preview.data?.issues ?? []).filter((i) => i.line).map((i) => ({ line: i.line!, column: i.column ?? 1, message: `${i.ruleId} ${i.message}`, severity: i.severity === "error" ? ("error" as const) : ("warning" as const) }));
  const nsValid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace);

  return (
    <Card title={isNew ? t("gateway.gw.new") : t("gateway.gw.edit", { name: `${namespace}/${name}` })} actions={<Button variant="ghost" onClick={onDone}>{t("gateway.gw.close")}</Button>}>
      <div className="space-y-3" data-testid="object-yaml-editor">
        {isNew && (
          <div className="flex flex-wrap gap-3">
            <label className="text-sm">
              <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.type")}</span>
              <Select
                value={kind}
                onChange={(e) => {
                  const k = e.target.value as GatewayObjectKind;
                  setKind(k);
                  setYaml(toYaml(TEMPLATES[k](nameFromYaml() || "edge")));
                }}
              >
                <option value="Gateway">Gateway API Gateway</option>
                <option value="IstioGateway">Istio Gateway</option>
              </Select>
            </label>
            <label className="text-sm">
              <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.namespace")}</span>
              <Input value={namespace} onChange={(e) => setNamespace(e.target.value)} aria-invalid={!nsValid} data-testid="gw-namespace" />
            </label>
          </div>
        )}
        {!nsValid && <p className="text-xs text-red-700 dark:text-red-300">{t("gateway.namespaceInvalid")}</p>}
        <LazyCodeEditor value={yaml} onChange={setYaml} language="yaml" diagnostics={diagnostics} ariaLabel={t("gateway.gw.yamlLabel")} height="20rem" testId="gateway-yaml" />
        {preview.data && !review && <IssueList issues={preview.data.issues} />}
        {preview.error && <ErrorState error={preview.error} />}
        {apply.isSuccess && <Banner tone="success">{t("gateway.saved", { revision: apply.data.revision ?? "—" })}</Banner>}
        <div className="flex gap-2">
          <Button variant="secondary" disabled={preview.isPending || !nsValid} onClick={() => { setName(ref().name); preview.mutate({ ...ref(), body: { yaml, resourceVersion } }); }}>
            {t("gateway.editor.validate")}
          </Button>
          <Button disabled={preview.isPending || !nsValid} onClick={() => { const r = ref(); setName(r.name); preview.mutate({ ...r, body: { yaml, resourceVersion } }, { onSuccess: setReview }); }} data-testid="gw-review">
            {t("gateway.editor.review")}
          </Button>
        </div>
      </div>
      {review && (
        <ConfirmDialog
          title={isNew ? t("gateway.gw.confirmCreate") : t("gateway.editor.confirmSave")}
          before={review.live ? toYaml(review.live) : ""}
          after={review.desired ? toYaml(review.desired) : ""}
          confirmLabel={t("gateway.apply")}
          pending={apply.isPending}
          confirmDisabled={review.issues.some((i) => i.severity === "error") || review.unchanged || review.dryRun?.ok === false}
          error={apply.error ? <ErrorState error={apply.error} /> : undefined}
          onCancel={() => {
            setReview(null);
            apply.reset();
          }}
          onConfirm={() => apply.mutate({ ...ref(), body: { yaml, resourceVersion } }, { onSuccess: () => { setReview(null); onDone(); } })}
        >
          <IssueList issues={review.issues} />
          {review.dryRun && <p className={`mt-2 text-sm ${review.dryRun.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>{review.dryRun.ok ? t("gateway.editor.dryRunOk") : t("gateway.editor.dryRunFailed", { message: review.dryRun.message })}</p>}
        </ConfirmDialog>
      )}
    </Card>
  );
}
