"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ValidationBadge } from "@/components/mesh/issues";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Banner } from "@/components/ui/banner";
import { EmptyState, QueryStates } from "@/components/ui/states";
import { DataTable } from "@/components/ui/table";
import { usePolicies } from "@/lib/mesh/hooks";
import { meshPaths } from "@/lib/mesh/keys";
import { MESH_KIND_NAMES, MESH_KINDS } from "@/lib/mesh/model/kinds";
import { WIZARDS } from "@/lib/mesh/model/wizards";

const NS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The Istio objects of one Kubernetes namespace of the environment, each with its validation
 * badge; filters by kind, host and badge (server-side). The namespace lives in the URL (?ns=),
 * so a list can be shared and the back button works.
 */
export function MeshList({ environment, canWrite }: { environment: string; canWrite: boolean }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespace = params.get("ns") ?? "default";
  const [draft, setDraft] = useState(namespace);
  const [kind, setKind] = useState("");
  const [host, setHost] = useState("");
  // ?badge= opens the list filtered (the overview's "objects with validation errors" links here).
  const [badge, setBadge] = useState(() => (["error", "warning", "ok"].includes(params.get("badge") ?? "") ? params.get("badge")! : ""));
  const list = usePolicies(environment, namespace, { kind, host, badge });
  const nsValid = NS.test(draft) && draft.length <= 63;
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (nsValid) router.push(`${pathname}?ns=${encodeURIComponent(draft)}`);
        }}
      >
        <label className="text-xs">
          {t("mesh.namespace")}
          <Input className="ml-2 w-44" value={draft} onChange={(e) => setDraft(e.target.value)} aria-invalid={!nsValid} data-testid="mesh-namespace" />
        </label>
        <Button type="submit" variant="secondary" disabled={!nsValid}>
          {t("mesh.show")}
        </Button>
        <label className="text-xs">
          {t("mesh.kind")}
          <Select className="ml-2" value={kind} onChange={(e) => setKind(e.target.value)} data-testid="mesh-filter-kind">
            <option value="">{t("mesh.kind.all")}</option>
            {MESH_KINDS.map((k) => (
              <option key={k} value={k}>
                {MESH_KIND_NAMES[k]}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs">
          {t("mesh.host")}
          <Input className="ml-2 w-40" value={host} placeholder={t("mesh.hostHint")} onChange={(e) => setHost(e.target.value)} data-testid="mesh-filter-host" />
        </label>
        <label className="text-xs">
          {t("mesh.badge")}
          <Select className="ml-2" value={badge} onChange={(e) => setBadge(e.target.value)} data-testid="mesh-filter-badge">
            <option value="">{t("mesh.badge.all")}</option>
            <option value="error">{t("mesh.badge.error")}</option>
            <option value="warning">{t("mesh.badge.warning")}</option>
            <option value="ok">{t("mesh.badge.ok")}</option>
          </Select>
        </label>
      </form>
      {!nsValid && <p className="text-xs text-red-700 dark:text-red-300">{t("mesh.namespaceInvalid")}</p>}
      {canWrite && (
        <div className="flex flex-wrap items-center gap-2" data-testid="mesh-actions">
          <Link className="rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800" href={meshPaths.editor(environment, namespace)} data-testid="mesh-new-yaml">
            {t("mesh.newYaml")}
          </Link>
          <span className="text-xs text-slate-500">{t("mesh.wizards")}:</span>
          {WIZARDS.map((w) => (
            <Link key={w} href={meshPaths.wizard(environment, namespace, w)} className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" data-testid={`mesh-wizard-${w}`}>
              {t(`mesh.wizard.${w}`)}
            </Link>
          ))}
        </div>
      )}
      <QueryStates query={list}>
        {(d) => (
          <>
            <p className="text-xs text-slate-500" data-testid="mesh-counts">
              {t("mesh.counts", { error: d.counts.error, warning: d.counts.warning, ok: d.counts.ok })}
            </p>
            {d.notes.map((n, i) => (
              <Banner key={i} tone="info">
                {locale === "zh-CN" ? n.messageZh : n.message}
              </Banner>
            ))}
            {d.items.length === 0 ? (
              <EmptyState>{kind || host || badge ? t("mesh.emptyFiltered") : t("mesh.empty", { namespace })}</EmptyState>
            ) : (
              <DataTable testId="mesh-table" columns={[t("mesh.col.kind"), t("mesh.col.name"), t("mesh.col.hosts"), t("mesh.col.validation"), t("mesh.col.created")]}>
                {d.items.map((p) => (
                  <tr key={`${p.kind}/${p.name}`} className="border-t border-slate-100 dark:border-slate-800" data-testid="mesh-row" data-kind={p.kind} data-name={p.name}>
                    <td className="px-2 py-1.5 text-xs">{MESH_KIND_NAMES[p.kind]}</td>
                    <td className="px-2 font-medium">
                      <Link href={meshPaths.object(environment, namespace, p.kind, p.name)} className="hover:underline focus-visible:underline">
                        {p.name}
                      </Link>
                    </td>
                    <td className="px-2 text-xs">{p.hosts.join(", ")}</td>
                    <td className="px-2">
                      <ValidationBadge badge={p.badge} errors={p.errors} warnings={p.warnings} />
                    </td>
                    <td className="px-2 text-xs text-slate-500">
                      <time dateTime={p.createdAt} title={p.createdAt}>
                        {fmt.format(new Date(p.createdAt))}
                      </time>
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </>
        )}
      </QueryStates>
    </div>
  );
}
