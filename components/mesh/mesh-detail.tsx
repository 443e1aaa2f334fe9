"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { LazyCodeEditor } from "@/components/editor/code-editor";
import { DiffView } from "@/components/editor/diff-view";
import { useI18n } from "@/components/i18n/i18n-provider";
import { IssueList, ValidationBadge } from "@/components/mesh/issues";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/input";
import { ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n/messages";
import { useDeletePolicy, usePolicy, useRevision, useRollbackPolicy } from "@/lib/mesh/hooks";
import { meshPaths } from "@/lib/mesh/keys";
import { MESH_KIND_NAMES, type MeshKind } from "@/lib/mesh/model/kinds";
import type { WizardId } from "@/lib/mesh/model/wizards";

const WIZARD_FOR: Partial<Record<MeshKind, WizardId>> = {
  VirtualService: "traffic-shift",
  DestinationRule: "circuit-breaker",
  PeerAuthentication: "mtls",
  RequestAuthentication: "jwt",
  AuthorizationPolicy: "authz",
};

/**
 * One Istio object: its YAML, status, validation, what it refers to and what refers to it, and
 * its revisions — any two compared, any one rolled back as a guarded new write after a diff.
 */
export function MeshDetail({ environment, namespace, kind, name, canWrite }: { environment: string; namespace: string; kind: MeshKind; name: string; canWrite: boolean }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const q = usePolicy(environment, namespace, kind, name);
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | "live">("live");
  const [rollbackTo, setRollbackTo] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const revA = useRevision(environment, namespace, kind, name, a);
  const revB = useRevision(environment, namespace, kind, name, typeof b === "number" ? b : null);
  const revRollback = useRevision(environment, namespace, kind, name, rollbackTo);
  const rollback = useRollbackPolicy(environment, namespace, kind, name);
  const del = useDeletePolicy(environment, namespace);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });

  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const rv = d.object.metadata.resourceVersion;
  const wizard = WIZARD_FOR[kind];
  const refLabel = (r: { kind: string; name: string; namespace: string }) => `${MESH_KIND_NAMES[r.kind as MeshKind] ?? r.kind}/${r.name}`;
  const refLink = (r: { kind: string; name: string; namespace: string }) =>
    r.kind === "Workload" ? <span>{r.name === "*" ? "*" : r.name}</span> : <Link className="underline" href={meshPaths.object(environment, r.namespace, r.kind, r.name)}>{refLabel(r)}</Link>;

  async function doRollback() {
    if (rollbackTo === null) return;
    try {
      const r = await rollback.mutateAsync({ revision: rollbackTo, resourceVersion: rv });
      setMessage({ tone: "success", text: t("mesh.rev.rolledBack", { revision: rollbackTo, current: r.revision ?? "—" }) });
    } catch (e) {
      setMessage({ tone: "error", text: e instanceof ApiError ? e.detail : t("common.error") });
    } finally {
      setRollbackTo(null);
    }
  }

  async function doDelete() {
    try {
      await del.mutateAsync({ kind, name, resourceVersion: rv });
      router.push(meshPaths.list(namespace));
    } catch (e) {
      setMessage({ tone: "error", text: e instanceof ApiError ? e.detail : t("common.error") });
      setDeleting(false);
    }
  }

  const compareBefore = a !== null ? (revA.data?.yaml ?? "") : "";
  const compareAfter = b === "live" ? d.yaml : (revB.data?.yaml ?? "");

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">
          {MESH_KIND_NAMES[kind]} <span data-testid="mesh-object-name">{name}</span>
        </h1>
        <ValidationBadge badge={d.badge} errors={d.issues.filter((i) => i.severity === "error").length} warnings={d.issues.filter((i) => i.severity === "warning").length} />
        <span className="text-xs text-slate-500">
          {namespace} · resourceVersion {rv}
        </span>
        {canWrite && (
          <div className="ml-auto flex gap-2">
            <Link className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" href={meshPaths.editor(environment, namespace, kind, name)} data-testid="mesh-edit-yaml">
              {t("mesh.detail.edit")}
            </Link>
            {wizard && (
              <Link className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" href={meshPaths.wizard(environment, namespace, wizard, name)} data-testid="mesh-open-wizard">
                {t("mesh.detail.openWizard")}
              </Link>
            )}
            <Button variant="danger" onClick={() => setDeleting(true)}>
              {t("mesh.detail.delete")}
            </Button>
          </div>
        )}
      </div>
      {message && (
        <Banner tone={message.tone} role="status" data-testid="mesh-detail-message">
          {message.text}
        </Banner>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("mesh.detail.object")}>
          <LazyCodeEditor value={d.yaml} language="yaml" readOnly ariaLabel={t("mesh.editor.label")} height="22rem" testId="mesh-object-yaml" />
        </Card>
        <div className="space-y-4">
          <Card title={t("mesh.detail.issues")}>
            <IssueList issues={d.issues} empty={t("mesh.detail.noIssues")} />
          </Card>
          <Card title={t("mesh.detail.references")}>
            {d.references.outgoing.length === 0 && d.references.incoming.length === 0 ? (
              <p className="text-sm text-slate-500">{t("mesh.detail.noReferences")}</p>
            ) : (
              <dl className="space-y-2 text-sm" data-testid="mesh-references">
                {d.references.outgoing.length > 0 && (
                  <>
                    <dt className="text-xs font-medium text-slate-500">{t("mesh.detail.refersTo")}</dt>
                    {d.references.outgoing.map((r, i) => (
                      <dd key={`o${i}`}>
                        {refLink(r.to)} <span className="text-xs text-slate-500">({r.via})</span>
                      </dd>
                    ))}
                  </>
                )}
                {d.references.incoming.length > 0 && (
                  <>
                    <dt className="text-xs font-medium text-slate-500">{t("mesh.detail.referredBy")}</dt>
                    {d.references.incoming.map((r, i) => (
                      <dd key={`i${i}`}>
                        {refLink(r.from)} <span className="text-xs text-slate-500">({r.via})</span>
                      </dd>
                    ))}
                  </>
                )}
              </dl>
            )}
          </Card>
          <Card title={t("mesh.detail.status")}>
            {d.status ? <pre className="max-h-40 overflow-auto font-mono text-xs">{JSON.stringify(d.status, null, 2)}</pre> : <p className="text-sm text-slate-500">{t("mesh.detail.noStatus")}</p>}
          </Card>
        </div>
      </div>
      <Card title={t("mesh.detail.revisions")}>
        {d.revisions.length === 0 ? (
          <p className="text-sm text-slate-500">{t("mesh.detail.noRevisions")}</p>
        ) : (
          <div className="space-y-3">
            <table className="w-full text-left text-sm" data-testid="mesh-revisions">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1">{t("mesh.rev.col.revision")}</th>
                  <th>{t("mesh.rev.col.operation")}</th>
                  <th>{t("mesh.rev.col.actor")}</th>
                  <th>{t("mesh.rev.col.time")}</th>
                  <th>{t("mesh.rev.col.request")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.revisions.map((r) => (
                  <tr key={r.revision} className="border-t border-slate-100 dark:border-slate-800" data-testid="mesh-revision" data-revision={r.revision}>
                    <td className="py-1.5 font-medium">#{r.revision}</td>
                    <td>{t(`mesh.rev.op.${r.operation}` as MessageKey)}</td>
                    <td>{r.actor}</td>
                    <td className="text-xs">
                      <time dateTime={r.createdAt} title={r.createdAt}>
                        {fmt.format(new Date(r.createdAt))}
                      </time>
                    </td>
                    <td className="text-xs">
                      <code>{r.requestId.slice(0, 8)}</code>
                    </td>
                    <td className="space-x-1 text-right">
                      <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setA(r.revision)} data-testid={`mesh-compare-${r.revision}`}>
                        {t("mesh.rev.compareA")}
                      </Button>
                      {canWrite && r.operation !== "delete" && r.resourceVersion !== rv && (
                        <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => setRollbackTo(r.revision)} data-testid={`mesh-rollback-${r.revision}`}>
                          {t("mesh.rev.rollback")}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {a !== null && (
              <div className="space-y-2" data-testid="mesh-revision-compare">
                <div className="flex flex-wrap items-center gap-2 text-xs">
                  <span>{t("mesh.rev.compareA")}</span>
                  <Select value={a} onChange={(e) => setA(Number(e.target.value))} aria-label={t("mesh.rev.compareA")}>
                    {d.revisions.map((r) => (
                      <option key={r.revision} value={r.revision}>
                        #{r.revision}
                      </option>
                    ))}
                  </Select>
                  <span>{t("mesh.rev.compareB")}</span>
                  <Select value={String(b)} onChange={(e) => setB(e.target.value === "live" ? "live" : Number(e.target.value))} aria-label={t("mesh.rev.compareB")}>
                    <option value="live">{t("mesh.rev.current")}</option>
                    {d.revisions.map((r) => (
                      <option key={r.revision} value={r.revision}>
                        #{r.revision}
                      </option>
                    ))}
                  </Select>
                </div>
                {revA.isPending || (typeof b === "number" && revB.isPending) ? <Spinner /> : <DiffView before={compareBefore} after={compareAfter} beforeLabel={`#${a}`} afterLabel={b === "live" ? t("mesh.rev.current") : `#${b}`} testId="mesh-revision-diff" />}
              </div>
            )}
          </div>
        )}
      </Card>
      {rollbackTo !== null && revRollback.data && (
        <ConfirmDialog
          title={t("mesh.rev.rollbackTitle", { name, revision: rollbackTo })}
          before={d.yaml}
          after={revRollback.data.yaml}
          confirmLabel={t("mesh.rev.rollback").replace("…", "")}
          pending={rollback.isPending}
          onConfirm={() => void doRollback()}
          onCancel={() => setRollbackTo(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog title={t("mesh.detail.deleteTitle", { kind: MESH_KIND_NAMES[kind], name })} before={d.yaml} after="" confirmLabel={t("mesh.detail.delete").replace("…", "")} danger pending={del.isPending} onConfirm={() => void doDelete()} onCancel={() => setDeleting(false)} />
      )}
    </div>
  );
}
