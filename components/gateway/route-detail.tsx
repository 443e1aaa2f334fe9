"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { RouteEditor } from "@/components/gateway/route-editor";
import { RouteTraffic } from "@/components/gateway/route-traffic";
import { IssueList, RouteStatusBadges } from "@/components/gateway/status-badges";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState, Spinner } from "@/components/ui/states";
import { useDeleteObject, useRevisions, useRoute } from "@/lib/gateway/hooks";
import type { MessageKey } from "@/lib/i18n/messages";
import { toYaml } from "@/lib/kube-objects/model/yaml-source";

const OPERATIONS: Record<string, MessageKey> = { apply: "gateway.rev.apply", rollback: "gateway.rev.rollback", revert: "gateway.rev.revert", delete: "gateway.rev.delete", observed: "gateway.rev.observed" };

/** One HTTPRoute: status, SY-G findings, where its traffic goes (zones, canary), the editor and its revisions. */
export function RouteDetail({ environment, namespace, name, site, initialEditing = false }: { environment: string; namespace: string; name: string; site: string | null; initialEditing?: boolean }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const q = useRoute(environment, namespace, name);
  const revisions = useRevisions(environment, "HTTPRoute", namespace, name);
  const del = useDeleteObject(environment);
  const [editing, setEditing] = useState(initialEditing);
  const [deleting, setDeleting] = useState(false);
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });

  return (
    <div className="space-y-4">
      <Card title={t("gateway.route.overview")} actions={r.canWrite && <div className="flex gap-2"><Button variant="secondary" onClick={() => setEditing(!editing)} data-testid="edit-route">{editing ? t("gateway.route.closeEditor") : t("gateway.route.edit")}</Button><Button variant="danger" onClick={() => setDeleting(true)}>{t("gateway.route.delete")}</Button></div>}>
        <dl className="grid gap-2 text-sm md:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500 dark:text-slate-400">{t("gateway.col.hostnames")}</dt>
          <dd className="font-mono">{r.model.hostnames.join(", ") || "*"}</dd>
          <dt className="text-slate-500 dark:text-slate-400">{t("gateway.col.parents")}</dt>
          <dd className="font-mono">{r.model.parents.map((p) => `${p.namespace ?? namespace}/${p.name}${p.sectionName ? `#${p.sectionName}` : ""}`).join(", ")}</dd>
          <dt className="text-slate-500 dark:text-slate-400">{t("gateway.col.status")}</dt>
          <dd>
            <RouteStatusBadges status={r.status} />
          </dd>
          <dt className="text-slate-500 dark:text-slate-400">{t("gateway.route.checks")}</dt>
          <dd>
            <IssueList issues={r.issues} />
          </dd>
        </dl>
      </Card>
      <RouteTraffic environment={environment} route={r} />
      {editing && <RouteEditor key={r.resourceVersion} environment={environment} initial={r.model} resourceVersion={r.resourceVersion} isNew={false} site={site} />}
      <Card title={t("gateway.route.revisions")}>
        {revisions.isPending ? (
          <Spinner />
        ) : revisions.error ? (
          <ErrorState error={revisions.error} />
        ) : (
          <ol className="space-y-1 text-sm" data-testid="revisions">
            {revisions.data.items.map((v) => (
              <li key={v.revision} className="flex flex-wrap gap-3">
                <span className="tabular-nums">#{v.revision}</span>
                <span>{OPERATIONS[v.operation] ? t(OPERATIONS[v.operation]!) : v.operation}</span>
                <span>{v.actor}</span>
                <time dateTime={v.createdAt} title={v.createdAt}>{fmt.format(new Date(v.createdAt))}</time>
              </li>
            ))}
            {!revisions.data.items.length && <li className="text-slate-500">{t("gateway.route.noRevisions")}</li>}
          </ol>
        )}
      </Card>
      {deleting && (
        <ConfirmDialog
          title={t("gateway.route.deleteTitle", { name: `${namespace}/${name}` })}
          before={toYaml(r.object)}
          after=""
          danger
          confirmLabel={t("gateway.route.delete")}
          pending={del.isPending}
          error={del.error ? <ErrorState error={del.error} /> : undefined}
          onCancel={() => setDeleting(false)}
          onConfirm={() => del.mutate({ kind: "HTTPRoute", namespace, name, resourceVersion: r.resourceVersion }, { onSuccess: () => router.push("/gateway") })}
        />
      )}
    </div>
  );
}
