"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useRegistries, useUpdateRegistries } from "@/lib/gateway/hooks";
import { mergeRegistries, removeRegistry } from "@/lib/gateway/model/registries";
import { toYaml } from "@/lib/kube-objects/model/yaml-source";

/**
 * The Higress McpBridge registries: what the gateway discovers services from, and the zones of
 * this environment's site, each added (or refreshed, or removed) through a confirmation with
 * the change as a diff. Credentials are never shown or written here.
 */
export function RegistriesPanel({ environment }: { environment: string }) {
  const { t } = useI18n();
  const q = useRegistries(environment);
  const update = useUpdateRegistries(environment);
  const [pending, setPending] = useState<{ add: string[]; remove: string[] } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const v = q.data;
  const present = new Set(v.registries.map((r) => String(r.name)));
  const after = pending ? pending.remove.reduce((regs, n) => removeRegistry(regs, n), mergeRegistries(v.registries, v.zones.filter((z) => pending.add.includes(z.zone)).map((z) => z.registry))) : v.registries;

  return (
    <div className="space-y-4">
      {done && <Banner tone="success" data-testid="registries-done">{done}</Banner>}
      <Card title={t("gateway.registries.bridge", { namespace: v.namespace, name: v.name })} hint={v.exists ? t("gateway.registries.exists") : t("gateway.registries.missing")}>
        {v.registries.length ? (
          <table className="w-full text-sm" data-testid="registries-table">
            <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-1">{t("gateway.registries.name")}</th>
                <th>{t("gateway.type")}</th>
                <th>{t("gateway.registries.address")}</th>
                <th>{t("gateway.registries.scope")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {v.registries.map((r) => (
                <tr key={String(r.name)} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 font-mono">{String(r.name)}</td>
                  <td>{String(r.type ?? "")}</td>
                  <td className="font-mono text-xs">
                    {String(r.domain ?? "")}:{String(r.port ?? "")}
                  </td>
                  <td className="font-mono text-xs">{r.nacosNamespaceId ? String(r.nacosNamespaceId) : Array.isArray(r.zkServicesPath) ? r.zkServicesPath.join(", ") : "—"}</td>
                  <td className="text-right">
                    {v.canWrite && String(r.name).startsWith("sy-") && (
                      <Button variant="ghost" onClick={() => setPending({ add: [], remove: [String(r.name)] })}>
                        {t("gateway.registries.remove")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>{t("gateway.registries.empty")}</EmptyState>
        )}
      </Card>
      <Card title={v.site ? t("gateway.registries.site", { site: v.site }) : t("gateway.registries.noSite")} hint={t("gateway.registries.siteHint")}>
        {v.zones.length ? (
          <ul className="space-y-2 text-sm" data-testid="site-zones">
            {v.zones.map((z) => (
              <li key={z.zone} className="flex flex-wrap items-center gap-3">
                <span className="font-medium">{t("gateway.zone", { zone: z.zone })}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {z.environment} · {z.registryKind === "nacos" ? `Nacos ${z.namespace || "public"}` : "ZooKeeper"}
                </span>
                <span className="font-mono text-xs">{z.registry.name}</span>
                {present.has(z.registry.name) ? <span className="text-xs text-emerald-800 dark:text-emerald-300">{t("gateway.registries.connected")}</span> : null}
                {v.canWrite && (
                  <Button variant="secondary" onClick={() => setPending({ add: [z.zone], remove: [] })} data-testid={`add-zone-${z.zone}`}>
                    {present.has(z.registry.name) ? t("gateway.registries.refresh") : t("gateway.registries.add")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t("gateway.registries.noZones")}</EmptyState>
        )}
        {v.canWrite && v.zones.length > 1 && (
          <Button className="mt-3" onClick={() => setPending({ add: v.zones.map((z) => z.zone), remove: [] })} data-testid="add-all-zones">
            {t("gateway.registries.addAll")}
          </Button>
        )}
      </Card>
      {pending && (
        <ConfirmDialog
          title={t("gateway.registries.confirm")}
          before={toYaml({ registries: v.registries })}
          after={toYaml({ registries: after })}
          confirmLabel={t("gateway.apply")}
          pending={update.isPending}
          error={update.error ? <ErrorState error={update.error} /> : undefined}
          onCancel={() => {
            setPending(null);
            update.reset();
          }}
          onConfirm={() =>
            update.mutate(
              { ...pending, resourceVersion: v.resourceVersion },
              {
                onSuccess: (r) => {
                  setPending(null);
                  setDone(t("gateway.saved", { revision: r.revision ?? "—" }));
                },
                onError: (e) => {
                  if (e instanceof ApiError && e.status === 409) void q.refetch();
                },
              },
            )
          }
        />
      )}
    </div>
  );
}
