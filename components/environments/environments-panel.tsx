"use client";

import { useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import type { MessageKey } from "@/lib/i18n/messages";
import { ApiError } from "@/lib/api-client";
import {
  testEnvironment,
  useCreateEnvironment,
  useDeleteEnvironment,
  useEnvironments,
  useUpdateEnvironment,
  type ConnectionVerdict as Verdict,
  type EnvironmentView,
} from "@/lib/environments/hooks";

type Env = EnvironmentView;


/** What a confirmation shows: connection facts, and for secrets only whether one is being set. */
function describeEnv(body: Record<string, unknown> | null): string {
  if (!body) return "";
  const redacted = JSON.parse(JSON.stringify(body), (k, v: unknown) => (/password|token|keypem/i.test(k) && typeof v === "string" && v ? "•••• (new value)" : v)) as unknown;
  // Keys in one order and absent values left out, so before and after differ only where the
  // edit does (the stored record and the form list their fields differently).
  return JSON.stringify(canonical(redacted), null, 2);
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [k, ...v] = part.split("=");
    out[k!.trim()] = v.join("=").trim();
  }
  return out;
}

export function EnvironmentsPanel({ canAdmin }: { canAdmin: boolean }) {
  const { t } = useI18n();
  const list = useEnvironments();
  const [editing, setEditing] = useState<Env | "new" | null>(null);
  const [pending, setPending] = useState<{ kind: "save"; body: Record<string, unknown>; before: Env | null } | { kind: "delete"; env: Env } | null>(null);
  const [verdicts, setVerdicts] = useState<Record<string, Verdict[] | "testing" | ApiError>>({});

  const create = useCreateEnvironment();
  const update = useUpdateEnvironment();
  const remove = useDeleteEnvironment();
  // The dialog shows the state of the change it confirms.
  const apply = pending?.kind === "delete" ? remove : pending?.before ? update : create;
  const resetAll = () => (create.reset(), update.reset(), remove.reset());
  function confirmChange(p: NonNullable<typeof pending>) {
    const done = {
      onSuccess: () => {
        setPending(null);
        setEditing(null);
      },
    };
    if (p.kind === "delete") remove.mutate(p.env, done);
    else if (p.before) update.mutate({ before: p.before, body: p.body }, done);
    else create.mutate(p.body, done);
  }

  async function test(name: string) {
    setVerdicts((v) => ({ ...v, [name]: "testing" }));
    try {
      const r = await testEnvironment(name);
      setVerdicts((v) => ({ ...v, [name]: r }));
    } catch (e) {
      setVerdicts((v) => ({ ...v, [name]: e as ApiError }));
    }
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? "").trim();
    const kind = get("registryKind");
    const registry =
      kind === "nacos"
        ? { kind, url: get("nacosUrl"), username: get("nacosUser") || undefined, password: get("nacosPassword") || undefined, namespaces: get("namespaces") ? get("namespaces").split(",").map((x) => x.trim()) : [""] }
        : kind === "zookeeper"
          ? { kind, hosts: get("zkHosts"), layout: get("zkLayout"), root: get("zkRoot") || "/" }
          : null;
    const auth = get("k8sAuth");
    const kubernetes = get("k8sUrl")
      ? { apiUrl: get("k8sUrl"), caPem: get("k8sCa") || undefined, auth, clientCertPem: get("k8sCert") || undefined, clientKeyPem: get("k8sKey") || undefined, bearerToken: get("k8sToken") || undefined }
      : null;
    const body = { name: get("name"), description: get("description"), labels: parseLabels(get("labels")), registry, kubernetes, prometheusUrl: get("prometheusUrl") || null };
    resetAll();
    setPending({ kind: "save", body, before: editing === "new" ? null : editing });
  }

  const env = editing && editing !== "new" ? editing : null;
  const reg = env?.registry;
  // Only the fields of the chosen registry and Kubernetes credential are shown (and sent).
  const [registryKind, setRegistryKind] = useState<string | null>(null);
  const [k8sAuth, setK8sAuth] = useState<string | null>(null);
  const kindNow = registryKind ?? reg?.kind ?? "nacos";
  const authNow = k8sAuth ?? env?.kubernetes?.auth ?? "client-certificate";
  const fieldErrors = apply.error instanceof ApiError && apply.error.fields.length ? apply.error.fields.map((x) => `${x.field}: ${x.message}`).join("; ") : null;

  return (
    <div className="space-y-6">
      <Card title={t("env.title")} hint={t("env.hint")} actions={canAdmin && <Button onClick={() => (resetAll(), setRegistryKind(null), setK8sAuth(null), setEditing("new"))} data-testid="env-new">{t("env.new")}</Button>}>
        {list.isPending && <Spinner />}
        {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
        {list.data?.length === 0 && <EmptyState>{t("env.none")}</EmptyState>}
        {list.data && list.data.length > 0 && (
          <table className="w-full text-left text-sm" data-testid="environments-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1">{t("env.name")}</th>
                <th>{t("env.labels")}</th>
                <th className="px-2">{t("env.registry")}</th>
                <th className="px-2">{t("env.kubernetes")}</th>
                <th>{t("env.credentials")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => {
                const v = verdicts[e.name];
                return (
                  <tr key={e.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="py-2 font-medium">
                      {e.name}
                      <div className="text-xs font-normal text-slate-500">v{e.version}</div>
                    </td>
                    <td className="py-2">
                      <div className="flex flex-wrap gap-1">
                        {Object.entries(e.labels).map(([k, val]) => (
                          <Badge key={k}>
                            {k}={val}
                          </Badge>
                        ))}
                      </div>
                    </td>
                    <td className="px-2 py-2 text-xs">{e.registry ? (e.registry.kind === "nacos" ? `Nacos ${e.registry.url}` : `ZooKeeper ${e.registry.hosts} (${e.registry.layout})`) : "—"}</td>
                    <td className="px-2 py-2 text-xs">{e.kubernetes ? `${e.kubernetes.apiUrl} (${e.kubernetes.auth})` : "—"}</td>
                    <td className="py-2 text-xs">{e.credentials.length ? e.credentials.map((c) => credentialLabel(c, t)).join(", ") : "—"}</td>
                    <td className="py-2 text-right">
                      <div className="flex justify-end gap-1">
                        {canAdmin && (
                          <Button variant="secondary" onClick={() => void test(e.name)} disabled={v === "testing"} data-testid={`env-test-${e.name}`}>
                            {v === "testing" ? t("env.testing") : t("env.test")}
                          </Button>
                        )}
                        {canAdmin && (
                          <Button variant="ghost" onClick={() => (resetAll(), setRegistryKind(null), setK8sAuth(null), setEditing(e))} data-testid={`env-edit-${e.name}`}>
                            {t("env.edit")}
                          </Button>
                        )}
                        {canAdmin && (
                          <Button variant="ghost" onClick={() => (resetAll(), setPending({ kind: "delete", env: e }))}>
                            {t("env.delete")}
                          </Button>
                        )}
                      </div>
                      {Array.isArray(v) && (
                        <ul className="mt-2 space-y-1 text-left text-xs" data-testid={`env-verdicts-${e.name}`}>
                          {v.map((x) => (
                            <li key={x.system} className={x.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>
                              {x.ok ? "✓" : "✗"} {x.system}: {x.message} ({x.latencyMs} ms)
                            </li>
                          ))}
                        </ul>
                      )}
                      {v instanceof ApiError && <ErrorState error={v} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>

      {editing && (
        <Card title={env ? `${t("env.edit")} ${env.name}` : t("env.new")}>
          <form method="post" onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2" aria-label={t("env.new")} key={env?.name ?? "new"}>
            <label className="text-xs">
              {t("env.name")}
              <Input name="name" required defaultValue={env?.name} readOnly={Boolean(env)} className="mt-1 w-full" data-testid="env-name" />
            </label>
            <label className="text-xs">
              {t("env.labels")}
              <Input name="labels" defaultValue={env ? Object.entries(env.labels).map(([k, v]) => `${k}=${v}`).join(",") : ""} placeholder={t("env.labelsHint")} className="mt-1 w-full" data-testid="env-labels" />
            </label>
            <label className="text-xs sm:col-span-2">
              {t("env.description")}
              <Input name="description" defaultValue={env?.description} className="mt-1 w-full" />
            </label>
            <label className="text-xs">
              {t("env.registryKind")}
              <Select name="registryKind" value={kindNow} onChange={(e) => setRegistryKind(e.target.value)} className="mt-1 w-full" data-testid="env-registry-kind">
                <option value="nacos">Nacos</option>
                <option value="zookeeper">ZooKeeper</option>
                <option value="">{t("env.noRegistry")}</option>
              </Select>
            </label>
            {kindNow === "nacos" && (
              <>
                <label className="text-xs">
                  {t("env.nacosUrl")}
                  <Input name="nacosUrl" defaultValue={reg?.kind === "nacos" ? reg.url : ""} placeholder="https://nacos.example:8848/nacos" className="mt-1 w-full" data-testid="env-nacos-url" />
                </label>
                <label className="text-xs">
                  {t("env.nacosUser")}
                  <Input name="nacosUser" defaultValue={reg?.kind === "nacos" ? reg.username : ""} className="mt-1 w-full" autoComplete="off" data-testid="env-nacos-user" />
                </label>
                <label className="text-xs">
                  {t("env.nacosPassword")}
                  <Input name="nacosPassword" type="password" className="mt-1 w-full" autoComplete="new-password" placeholder={env ? t("env.keepSecret") : ""} data-testid="env-nacos-password" />
                </label>
                <label className="text-xs">
                  {t("env.namespaces")}
                  <Input name="namespaces" defaultValue={reg?.kind === "nacos" ? reg.namespaces.filter(Boolean).join(",") : ""} className="mt-1 w-full" data-testid="env-namespaces" />
                </label>
              </>
            )}
            {kindNow === "zookeeper" && (
              <>
                <label className="text-xs">
                  {t("env.zkHosts")}
                  <Input name="zkHosts" defaultValue={reg?.kind === "zookeeper" ? reg.hosts : ""} placeholder="zk1:2181,zk2:2181" className="mt-1 w-full" data-testid="env-zk-hosts" />
                </label>
                <label className="text-xs">
                  {t("env.zkLayout")}
                  <Select name="zkLayout" defaultValue={reg?.kind === "zookeeper" ? reg.layout : "dubbo"} className="mt-1 w-full" data-testid="env-zk-layout">
                    <option value="dubbo">dubbo</option>
                    <option value="spring-cloud">spring-cloud</option>
                  </Select>
                </label>
                <label className="text-xs">
                  {t("env.zkRoot")}
                  <Input name="zkRoot" defaultValue={reg?.kind === "zookeeper" ? reg.root : "/"} className="mt-1 w-full" aria-describedby="zk-root-hint" data-testid="env-zk-root" />
                  <span id="zk-root-hint" className="mt-1 block text-slate-500">
                    {t("env.zkRootHint")}
                  </span>
                </label>
              </>
            )}
            <label className="text-xs sm:col-span-2">
              {t("env.k8sUrl")}
              <Input name="k8sUrl" defaultValue={env?.kubernetes?.apiUrl} placeholder="https://k8s.example:6443" className="mt-1 w-full" data-testid="env-k8s-url" />
            </label>
            <label className="text-xs">
              {t("env.k8sAuth")}
              <Select name="k8sAuth" value={authNow} onChange={(e) => setK8sAuth(e.target.value)} className="mt-1 w-full" data-testid="env-k8s-auth">
                <option value="client-certificate">{t("env.k8sAuthCert")}</option>
                <option value="bearer-token">{t("env.k8sAuthToken")}</option>
              </Select>
            </label>
            <PemField name="k8sCa" label={t("env.k8sCa")} defaultValue={env?.kubernetes?.caPem} fileLabel={t("env.fromFile")} testId="env-k8s-ca" />
            {authNow === "client-certificate" ? (
              <>
                <PemField name="k8sCert" label={t("env.k8sCert")} placeholder={env ? t("env.keepSecret") : ""} fileLabel={t("env.fromFile")} testId="env-k8s-cert" />
                <PemField name="k8sKey" label={t("env.k8sKey")} placeholder={env ? t("env.keepSecret") : ""} fileLabel={t("env.fromFile")} testId="env-k8s-key" />
              </>
            ) : (
              <label className="text-xs">
                {t("env.k8sToken")}
                <Input name="k8sToken" type="password" className="mt-1 w-full" autoComplete="off" placeholder={env ? t("env.keepSecret") : ""} data-testid="env-k8s-token" />
              </label>
            )}
            <label className="text-xs">
              {t("env.prometheusUrl")}
              <Input name="prometheusUrl" defaultValue={env?.prometheusUrl ?? ""} className="mt-1 w-full" />
            </label>
            <div className="flex gap-2 sm:col-span-2">
              <Button type="submit" data-testid="env-save">
                {t("env.save")}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                {t("access.cancel")}
              </Button>
            </div>
          </form>
        </Card>
      )}

      {pending?.kind === "save" && (
        <ConfirmDialog
          title={t("access.confirmTitle")}
          before={pending.before ? describeEnv({ name: pending.before.name, description: pending.before.description, labels: pending.before.labels, registry: pending.before.registry, kubernetes: pending.before.kubernetes && { apiUrl: pending.before.kubernetes.apiUrl, caPem: pending.before.kubernetes.caPem, auth: pending.before.kubernetes.auth }, prometheusUrl: pending.before.prometheusUrl }) : ""}
          after={describeEnv(pending.body)}
          confirmLabel={t("common.save")}
          pending={apply.isPending}
          error={fieldErrors ? <p className="text-sm text-red-700">{fieldErrors}</p> : apply.isError ? <ErrorState error={apply.error} /> : undefined}
          onConfirm={() => confirmChange(pending)}
          onCancel={() => setPending(null)}
        />
      )}
      {pending?.kind === "delete" && (
        <ConfirmDialog
          title={t("access.confirmTitle")}
          before={`environment ${pending.env.name} (v${pending.env.version}) with ${pending.env.credentials.length} stored credential(s)`}
          after=""
          confirmLabel={t("env.delete")}
          danger
          pending={apply.isPending}
          error={apply.isError ? <ErrorState error={apply.error} /> : undefined}
          onConfirm={() => confirmChange(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}

/** Stored credential names in words ("Nacos password"), not their storage keys. */
const CREDENTIAL_LABELS: Record<string, MessageKey> = {
  nacosPassword: "env.nacosPassword",
  nacosAccessToken: "env.nacosAccessToken",
  k8sClientCertPem: "env.k8sCert",
  k8sClientKeyPem: "env.k8sKey",
  k8sBearerToken: "env.k8sToken",
};
function credentialLabel(key: string, t: (k: MessageKey) => string): string {
  const k = CREDENTIAL_LABELS[key];
  return k ? t(k) : key;
}

/** A PEM text field that can also be filled from a file (certificates, keys). */
function PemField({ name, label, defaultValue, placeholder, fileLabel, testId }: { name: string; label: string; defaultValue?: string; placeholder?: string; fileLabel: string; testId: string }) {
  const [text, setText] = useState(defaultValue ?? "");
  return (
    <label className="text-xs">
      {label}
      <Textarea name={name} value={text} onChange={(e) => setText(e.target.value)} rows={2} className="mt-1 w-full font-mono" placeholder={placeholder} data-testid={testId} />
      <span className="mt-1 flex items-center gap-2 text-slate-500">
        {fileLabel}
        <input
          type="file"
          accept=".pem,.crt,.cer,.key,text/plain"
          className="text-xs"
          data-testid={`${testId}-file`}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then(setText);
          }}
        />
      </span>
    </label>
  );
}
