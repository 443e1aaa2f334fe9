"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { useState } from "react";
import { ObjectYamlEditor } from "@/components/gateway/object-yaml-editor";
import { Button } from "@/components/ui/button";
import { useGatewayObject, useGateways } from "@/lib/gateway/hooks";
import type { GatewayView } from "@/lib/gateway/views";

/** Gateway API Gateways and Istio Gateways: listeners, hostnames, TLS certificate references and conditions. */
export function GatewaysList({ environment, canWrite }: { environment: string; canWrite: boolean }) {
  const { t } = useI18n();
  const q = useGateways(environment);
  const [editing, setEditing] = useState<{ kind: GatewayView["type"]; namespace: string; name: string } | "new" | null>(null);
  const obj = useGatewayObject(environment, editing && editing !== "new" ? editing : null);
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className="space-y-4">
      {canWrite && editing === null && (
        <Button onClick={() => setEditing("new")} data-testid="new-gateway">
          {t("gateway.gw.new")}
        </Button>
      )}
      {editing === "new" && <ObjectYamlEditor environment={environment} resourceVersion={null} onDone={() => setEditing(null)} />}
      {editing && editing !== "new" && (obj.isPending ? <Spinner /> : obj.error ? <ErrorState error={obj.error} /> : <ObjectYamlEditor key={obj.data.resourceVersion} environment={environment} kind={editing.kind} namespace={editing.namespace} name={editing.name} object={obj.data.object} resourceVersion={obj.data.resourceVersion} onDone={() => setEditing(null)} />)}
      {!q.data.items.length && <EmptyState>{t("gateway.gateways.empty")}</EmptyState>}
    <div className="grid gap-4 lg:grid-cols-2">
      {q.data.items.map((g) => (
        <Card key={`${g.type}/${g.namespace}/${g.name}`} title={`${g.namespace}/${g.name}`} hint={`${g.type === "Gateway" ? "Gateway API" : "Istio Gateway"}${g.className ? ` · ${g.className}` : ""}`} actions={canWrite && <Button variant="secondary" onClick={() => setEditing({ kind: g.type, namespace: g.namespace, name: g.name })}>{t("gateway.gw.editYaml")}</Button>}>
          <table className="w-full text-xs" data-testid="gateway-listeners">
            <thead className="text-left text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-1">{t("gateway.listener")}</th>
                <th>{t("gateway.col.hostnames")}</th>
                <th>{t("gateway.port")}</th>
                <th>{t("gateway.tls")}</th>
              </tr>
            </thead>
            <tbody>
              {g.listeners.map((l, i) => (
                <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 font-mono">{l.name || "—"}</td>
                  <td className="font-mono">{l.hostname ?? "*"}</td>
                  <td>
                    {l.port} {l.protocol}
                  </td>
                  <td className="font-mono">{l.tlsCertificateRefs.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="mt-2 flex flex-wrap gap-1 text-xs">
            {g.conditions.length ? (
              g.conditions.map((c) => (
                <span key={c.type} title={c.message} className={`rounded px-1.5 ${c.status === "True" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200"}`}>
                  {c.type}: {c.status}
                </span>
              ))
            ) : (
              <span className="text-slate-500">{t("gateway.status.none")}</span>
            )}
          </div>
        </Card>
      ))}
    </div>
    </div>
  );
}
