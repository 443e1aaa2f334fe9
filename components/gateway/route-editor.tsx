"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { LazyCodeEditor } from "@/components/editor/code-editor";
import { useI18n } from "@/components/i18n/i18n-provider";
import { IssueList } from "@/components/gateway/status-badges";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input, Select } from "@/components/ui/input";
import { ErrorState } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useApplyObject, usePreviewObject, useSiteBackends, type PreviewAnswer } from "@/lib/gateway/hooks";
import { routePagePath } from "@/lib/gateway/keys";
import { emptyRoute, METHODS, PATH_TYPES, RouteInput, routeFromObject, routeToObject, VALUE_MATCH_TYPES, type FilterModel, type MatchModel, type RouteModel } from "@/lib/gateway/model/route-model";
import { REGISTRY_BACKEND } from "@/lib/gateway/model/registries";
import { readTrafficState, writeTrafficState } from "@/lib/gateway/model/traffic";
import { parseObjectsYaml, toYaml } from "@/lib/kube-objects/model/yaml-source";

/** Numbers stay as typed (never coerced) until they are valid. */
interface BackendDraft {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  port: string;
  weight: string;
}
interface RuleDraft {
  name?: string;
  matches: MatchModel[];
  filters: FilterModel[];
  backends: BackendDraft[];
  request: string;
  backendRequest: string;
  extra?: Record<string, unknown>;
}
interface Draft {
  name: string;
  namespace: string;
  parents: string;
  hostnames: string;
  rules: RuleDraft[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function toDraft(m: RouteModel): Draft {
  return {
    name: m.name,
    namespace: m.namespace,
    parents: m.parents.map((p) => `${p.namespace ? `${p.namespace}/` : ""}${p.name}${p.sectionName ? `#${p.sectionName}` : ""}`).join(", "),
    hostnames: m.hostnames.join(", "),
    rules: m.rules.map((r) => ({
      name: r.name,
      matches: r.matches,
      filters: r.filters,
      backends: r.backends.map((b) => ({ group: b.group, kind: b.kind, name: b.name, namespace: b.namespace ?? "", port: b.port === undefined ? "" : String(b.port), weight: String(b.weight) })),
      request: r.timeouts?.request ?? "",
      backendRequest: r.timeouts?.backendRequest ?? "",
      extra: r.extra,
    })),
    labels: m.labels,
    annotations: m.annotations,
  };
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const int = (s: string): number => (/^-?\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

function fromDraft(d: Draft): RouteModel {
  return {
    name: d.name.trim(),
    namespace: d.namespace.trim(),
    parents: list(d.parents).map((p) => {
      const [ref, section] = p.split("#");
      const [a, b] = ref!.split("/");
      return { name: (b ?? a)!, ...(b ? { namespace: a } : {}), ...(section ? { sectionName: section } : {}) };
    }),
    hostnames: list(d.hostnames),
    rules: d.rules.map((r) => ({
      ...(r.name ? { name: r.name } : {}),
      matches: r.matches,
      filters: r.filters,
      backends: r.backends.map((b) => ({ group: b.group, kind: b.kind, name: b.name.trim(), ...(b.namespace.trim() ? { namespace: b.namespace.trim() } : {}), ...(b.port.trim() ? { port: int(b.port) } : {}), weight: int(b.weight) })),
      ...(r.request || r.backendRequest ? { timeouts: { ...(r.request ? { request: r.request } : {}), ...(r.backendRequest ? { backendRequest: r.backendRequest } : {}) } } : {}),
      ...(r.extra ? { extra: r.extra } : {}),
    })),
    ...(d.labels ? { labels: d.labels } : {}),
    ...(d.annotations ? { annotations: d.annotations } : {}),
  };
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="block text-sm">
      <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{label}</span>
      {children}
      {error && <span className="mt-0.5 block text-xs text-red-700 dark:text-red-300">{error}</span>}
    </label>
  );
}

/**
 * The HTTPRoute editor: a form (hostnames; matches by path, headers, query parameters and
 * method; the four filters; backends with weights, including "service S in every zone of site
 * X"; timeouts) and a YAML tab validated against the CRD schema with problems at their line.
 * Save previews first (issues, the API server's dry run, the diff against the live route) and
 * writes only after confirmation, with the resourceVersion that was loaded.
 */
export function RouteEditor({ environment, initial, resourceVersion, isNew, site }: { environment: string; initial: RouteModel; resourceVersion: string | null; isNew: boolean; site: string | null }) {
  const { t } = useI18n();
  const router = useRouter();
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [tab, setTab] = useState<"form" | "yaml">("form");
  const [yaml, setYaml] = useState("");
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [review, setReview] = useState<{ answer: PreviewAnswer; source: { object?: unknown; yaml?: string } } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const preview = usePreviewObject(environment);
  const apply = useApplyObject(environment);

  const model = useMemo(() => fromDraft(draft), [draft]);
  const parsed = RouteInput.safeParse(model);
  const errors = new Map<string, string>();
  if (!parsed.success) for (const i of parsed.error.issues) if (!errors.has(i.path.join("."))) errors.set(i.path.join("."), i.message);
  const err = (path: string) => errors.get(path);

  const setRule = (i: number, r: Partial<RuleDraft>) => setDraft({ ...draft, rules: draft.rules.map((x, j) => (j === i ? { ...x, ...r } : x)) });

  function toYamlTab() {
    setYaml(toYaml(routeToObject(model)));
    setYamlError(null);
    setTab("yaml");
  }
  function toFormTab() {
    const p = parseObjectsYaml(yaml);
    if (!p.ok || p.documents.length !== 1 || typeof p.documents[0]!.object !== "object" || p.documents[0]!.object === null) {
      setYamlError(t("gateway.editor.yamlUnreadable"));
      return;
    }
    const o = p.documents[0]!.object as { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
    setDraft(toDraft(routeFromObject({ metadata: { name: o.metadata?.name ?? draft.name, namespace: o.metadata?.namespace ?? draft.namespace, labels: o.metadata?.labels, annotations: o.metadata?.annotations }, spec: o.spec })));
    setTab("form");
  }

  function startReview() {
    const source = tab === "yaml" ? { yaml } : { object: routeToObject(model) };
    const name = tab === "yaml" ? (((parseObjectsYaml(yaml) as { ok: boolean; documents?: Array<{ object: { metadata?: { name?: string } } }> }).documents?.[0]?.object?.metadata?.name as string | undefined) ?? draft.name) : model.name;
    preview.mutate({ kind: "HTTPRoute", namespace: model.namespace, name, body: { ...source, resourceVersion } }, { onSuccess: (answer) => setReview({ answer, source }) });
  }

  const reviewErrors = review?.answer.issues.filter((i) => i.severity === "error") ?? [];
  const diagnostics = (review?.source.yaml !== undefined ? review.answer.issues : preview.data?.issues ?? [])
    .filter((i) => i.line)
    .map((i) => ({ line: i.line!, column: i.column ?? 1, message: `${i.ruleId} ${i.message}`, severity: i.severity === "error" ? ("error" as const) : ("warning" as const) }));

  return (
    <div className="space-y-4" data-testid="route-editor">
      {saved && <Banner tone="success" data-testid="route-saved">{saved}</Banner>}
      <div role="tablist" aria-label={t("gateway.editor.mode")} className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {(["form", "yaml"] as const).map((m) => (
          <button
            key={m}
            role="tab"
            aria-selected={tab === m}
            data-testid={`editor-tab-${m}`}
            onClick={() => (m === "yaml" ? toYamlTab() : toFormTab())}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab === m ? "border-sky-700 font-medium text-sky-800 dark:border-sky-400 dark:text-sky-200" : "border-transparent text-slate-600 dark:text-slate-400"}`}
          >
            {m === "form" ? t("gateway.editor.form") : t("gateway.editor.yaml")}
          </button>
        ))}
      </div>

      {tab === "yaml" ? (
        <div className="space-y-2">
          <LazyCodeEditor value={yaml} onChange={setYaml} language="yaml" diagnostics={diagnostics} ariaLabel={t("gateway.editor.yamlLabel")} height="28rem" testId="route-yaml" />
          {yamlError && <p className="text-sm text-red-700 dark:text-red-300">{yamlError}</p>}
          {preview.data && !review && <IssueList issues={preview.data.issues} />}
          <Button variant="secondary" onClick={() => preview.mutate({ kind: "HTTPRoute", namespace: model.namespace, name: model.name || "unnamed", body: { yaml, resourceVersion } })} disabled={preview.isPending} data-testid="validate-yaml">
            {t("gateway.editor.validate")}
          </Button>
        </div>
      ) : (
        <div className="space-y-4">
          <Card title={t("gateway.editor.route")}>
            <div className="grid gap-3 md:grid-cols-2">
              <Field label={t("gateway.editor.name")} error={err("name")}>
                <Input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} disabled={!isNew} data-testid="route-name" aria-invalid={Boolean(err("name"))} />
              </Field>
              <Field label={t("gateway.namespace")} error={err("namespace")}>
                <Input value={draft.namespace} onChange={(e) => setDraft({ ...draft, namespace: e.target.value })} disabled={!isNew} data-testid="route-namespace" />
              </Field>
              <Field label={t("gateway.editor.parents")} error={err("parents") ?? err("parents.0.name")}>
                <Input value={draft.parents} onChange={(e) => setDraft({ ...draft, parents: e.target.value })} placeholder="gateway-ns/edge#https" data-testid="route-parents" />
              </Field>
              <Field label={t("gateway.editor.hostnames")} error={[...errors.entries()].find(([k]) => k.startsWith("hostnames"))?.[1]}>
                <Input value={draft.hostnames} onChange={(e) => setDraft({ ...draft, hostnames: e.target.value })} placeholder="shop.example.com, *.example.com" data-testid="route-hostnames" />
              </Field>
            </div>
          </Card>
          {draft.rules.map((r, i) => (
            <RuleEditor key={i} index={i} rule={r} err={(p) => err(`rules.${i}.${p}`)} onChange={(x) => setRule(i, x)} onRemove={draft.rules.length > 1 ? () => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) }) : undefined} environment={environment} site={site} draft={draft} setDraft={setDraft} />
          ))}
          <Button variant="secondary" onClick={() => setDraft({ ...draft, rules: [...draft.rules, toDraft(emptyRoute()).rules[0]!] })}>
            {t("gateway.editor.addRule")}
          </Button>
        </div>
      )}

      {!parsed.success && tab === "form" && <p className="text-sm text-red-700 dark:text-red-300" data-testid="form-invalid">{t("gateway.editor.invalid", { count: errors.size })}</p>}
      {preview.error && <ErrorState error={preview.error} />}
      <div className="flex gap-2">
        <Button onClick={startReview} disabled={preview.isPending || (tab === "form" && !parsed.success)} data-testid="review-route">
          {t("gateway.editor.review")}
        </Button>
      </div>

      {review && (
        <ConfirmDialog
          title={isNew ? t("gateway.editor.confirmCreate") : t("gateway.editor.confirmSave")}
          before={review.answer.live ? toYaml(review.answer.live) : ""}
          after={review.answer.desired ? toYaml(review.answer.desired) : ""}
          confirmLabel={t("gateway.apply")}
          pending={apply.isPending}
          confirmDisabled={reviewErrors.length > 0 || review.answer.unchanged || review.answer.dryRun?.ok === false}
          error={apply.error ? <ErrorState error={apply.error} /> : undefined}
          onCancel={() => {
            setReview(null);
            apply.reset();
          }}
          onConfirm={() =>
            apply.mutate(
              { kind: "HTTPRoute", namespace: model.namespace, name: (review.answer.desired?.metadata as { name?: string } | undefined)?.name ?? model.name, body: { ...review.source, resourceVersion } },
              {
                onSuccess: (r) => {
                  setReview(null);
                  setSaved(t("gateway.saved", { revision: r.revision ?? "—" }));
                  const name = (review.answer.desired?.metadata as { name?: string } | undefined)?.name ?? model.name;
                  if (isNew) router.push(routePagePath(environment, model.namespace, name));
                  else router.refresh();
                },
                onError: (e) => {
                  if (e instanceof ApiError && e.status === 409) setSaved(null);
                },
              },
            )
          }
        >
          <IssueList issues={review.answer.issues} />
          {review.answer.unchanged && <p className="mt-2 text-sm">{t("gateway.editor.unchanged")}</p>}
          {review.answer.dryRun && (
            <p className={`mt-2 text-sm ${review.answer.dryRun.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`} data-testid="dry-run">
              {review.answer.dryRun.ok ? t("gateway.editor.dryRunOk") : t("gateway.editor.dryRunFailed", { message: review.answer.dryRun.message })}
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

function RuleEditor({
  index,
  rule,
  err,
  onChange,
  onRemove,
  environment,
  site,
  draft,
  setDraft,
}: {
  index: number;
  rule: RuleDraft;
  err: (path: string) => string | undefined;
  onChange: (r: Partial<RuleDraft>) => void;
  onRemove?: () => void;
  environment: string;
  site: string | null;
  draft: Draft;
  setDraft: (d: Draft) => void;
}) {
  const { t } = useI18n();
  const total = rule.backends.reduce((s, b) => s + (Number.isFinite(int(b.weight)) ? int(b.weight) : 0), 0);
  const setMatch = (mi: number, m: Partial<MatchModel>) => onChange({ matches: rule.matches.map((x, j) => (j === mi ? { ...x, ...m } : x)) });
  const setBackend = (bi: number, b: Partial<BackendDraft>) => onChange({ backends: rule.backends.map((x, j) => (j === bi ? { ...x, ...b } : x)) });
  const setFilter = (fi: number, f: FilterModel) => onChange({ filters: rule.filters.map((x, j) => (j === fi ? f : x)) });

  return (
    <Card title={t("gateway.editor.rule", { n: index + 1 })} actions={onRemove && <Button variant="ghost" onClick={onRemove}>{t("gateway.editor.remove")}</Button>}>
      <div className="space-y-4">
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">{t("gateway.col.matches")}</h3>
          {rule.matches.map((m, mi) => (
            <div key={mi} className="mb-3 space-y-2 rounded border border-slate-200 p-2 dark:border-slate-800" data-testid="match">
              <div className="flex flex-wrap items-end gap-2">
                <Field label={t("gateway.editor.pathType")}>
                  <Select value={m.path?.type ?? ""} onChange={(e) => setMatch(mi, { path: e.target.value ? { type: e.target.value as (typeof PATH_TYPES)[number], value: m.path?.value ?? "/" } : undefined })} data-testid="match-path-type">
                    <option value="">{t("gateway.editor.anyPath")}</option>
                    {PATH_TYPES.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </Select>
                </Field>
                {m.path && (
                  <Field label={t("gateway.editor.path")} error={err(`matches.${mi}.path.value`)}>
                    <Input value={m.path.value} onChange={(e) => setMatch(mi, { path: { type: m.path!.type, value: e.target.value } })} data-testid="match-path" />
                  </Field>
                )}
                <Field label={t("gateway.editor.method")}>
                  <Select value={m.method ?? ""} onChange={(e) => setMatch(mi, { method: (e.target.value || undefined) as MatchModel["method"] })}>
                    <option value="">{t("gateway.editor.anyMethod")}</option>
                    {METHODS.map((x) => (
                      <option key={x}>{x}</option>
                    ))}
                  </Select>
                </Field>
                <Button variant="ghost" onClick={() => onChange({ matches: rule.matches.filter((_, j) => j !== mi) })}>
                  {t("gateway.editor.remove")}
                </Button>
              </div>
              {(["headers", "queryParams"] as const).map((kind) => (
                <div key={kind} className="space-y-1">
                  {m[kind].map((h, hi) => (
                    <div key={hi} className="flex flex-wrap items-end gap-2">
                      <Select value={h.type} aria-label={t("gateway.editor.matchType")} onChange={(e) => setMatch(mi, { [kind]: m[kind].map((x, j) => (j === hi ? { ...x, type: e.target.value as typeof h.type } : x)) })}>
                        {VALUE_MATCH_TYPES.map((x) => (
                          <option key={x}>{x}</option>
                        ))}
                      </Select>
                      <Input aria-label={kind === "headers" ? t("gateway.editor.headerName") : t("gateway.editor.queryName")} placeholder={kind === "headers" ? t("gateway.editor.headerName") : t("gateway.editor.queryName")} value={h.name} onChange={(e) => setMatch(mi, { [kind]: m[kind].map((x, j) => (j === hi ? { ...x, name: e.target.value } : x)) })} data-testid={`${kind}-name`} />
                      <Input aria-label={t("gateway.editor.value")} placeholder={t("gateway.editor.value")} value={h.value} onChange={(e) => setMatch(mi, { [kind]: m[kind].map((x, j) => (j === hi ? { ...x, value: e.target.value } : x)) })} data-testid={`${kind}-value`} />
                      <Button variant="ghost" onClick={() => setMatch(mi, { [kind]: m[kind].filter((_, j) => j !== hi) })}>
                        {t("gateway.editor.remove")}
                      </Button>
                      {(err(`matches.${mi}.${kind}.${hi}.name`) || err(`matches.${mi}.${kind}.${hi}.value`)) && <span className="text-xs text-red-700 dark:text-red-300">{err(`matches.${mi}.${kind}.${hi}.name`) ?? err(`matches.${mi}.${kind}.${hi}.value`)}</span>}
                    </div>
                  ))}
                  <Button variant="ghost" onClick={() => setMatch(mi, { [kind]: [...m[kind], { type: "Exact", name: "", value: "" }] })} data-testid={`add-${kind}`}>
                    {kind === "headers" ? t("gateway.editor.addHeader") : t("gateway.editor.addQuery")}
                  </Button>
                </div>
              ))}
            </div>
          ))}
          <Button variant="secondary" onClick={() => onChange({ matches: [...rule.matches, { path: { type: "PathPrefix", value: "/" }, headers: [], queryParams: [] }] })}>
            {t("gateway.editor.addMatch")}
          </Button>
        </section>

        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">{t("gateway.editor.filters")}</h3>
          {rule.filters.map((f, fi) => (
            <FilterEditor key={fi} filter={f} onChange={(x) => setFilter(fi, x)} onRemove={() => onChange({ filters: rule.filters.filter((_, j) => j !== fi) })} error={[...["type", "hostname", "path.value", "port"]].map((p) => err(`filters.${fi}.${p}`)).find(Boolean)} />
          ))}
          <Select
            aria-label={t("gateway.editor.addFilter")}
            value=""
            onChange={(e) => {
              const type = e.target.value;
              const f: FilterModel | null =
                type === "RequestHeaderModifier" || type === "ResponseHeaderModifier" ? { type, set: [], add: [], remove: [] } : type === "RequestRedirect" ? { type, statusCode: 302 } : type === "URLRewrite" ? { type } : null;
              if (f) onChange({ filters: [...rule.filters, f] });
            }}
          >
            <option value="">{t("gateway.editor.addFilter")}</option>
            <option>RequestHeaderModifier</option>
            <option>ResponseHeaderModifier</option>
            <option>RequestRedirect</option>
            <option>URLRewrite</option>
          </Select>
        </section>

        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">{t("gateway.col.backends")}</h3>
          {rule.backends.map((b, bi) => (
            <div key={bi} className="mb-2 flex flex-wrap items-end gap-2" data-testid="backend">
              <Field label={t("gateway.editor.backendKind")}>
                <Select value={b.kind === "Service" && b.group === "" ? "Service" : b.kind === REGISTRY_BACKEND.kind && b.group === REGISTRY_BACKEND.group ? "Hostname" : "other"} onChange={(e) => setBackend(bi, e.target.value === "Service" ? { group: "", kind: "Service" } : { ...REGISTRY_BACKEND })}>
                  <option value="Service">{t("gateway.editor.kindService")}</option>
                  <option value="Hostname">{t("gateway.editor.kindRegistry")}</option>
                  {!(b.kind === "Service" && b.group === "") && !(b.kind === "Hostname") && <option value="other">{`${b.group}/${b.kind}`}</option>}
                </Select>
              </Field>
              <Field label={t("gateway.editor.backendName")} error={err(`backends.${bi}.name`)}>
                <Input value={b.name} onChange={(e) => setBackend(bi, { name: e.target.value })} className="w-72" data-testid="backend-name" />
              </Field>
              <Field label={t("gateway.namespace")} error={err(`backends.${bi}.namespace`)}>
                <Input value={b.namespace} onChange={(e) => setBackend(bi, { namespace: e.target.value })} className="w-32" placeholder={t("gateway.editor.sameNamespace")} />
              </Field>
              <Field label={t("gateway.port")} error={err(`backends.${bi}.port`)}>
                <Input value={b.port} onChange={(e) => setBackend(bi, { port: e.target.value })} inputMode="numeric" className="w-24" data-testid="backend-port" />
              </Field>
              <Field label={t("gateway.editor.weight")} error={err(`backends.${bi}.weight`)}>
                <Input value={b.weight} onChange={(e) => setBackend(bi, { weight: e.target.value })} inputMode="numeric" className="w-24" data-testid="backend-weight" aria-invalid={Boolean(err(`backends.${bi}.weight`))} />
              </Field>
              <span className="pb-2 text-xs tabular-nums text-slate-500">{total > 0 && Number.isFinite(int(b.weight)) ? `${Math.round((1000 * int(b.weight)) / total) / 10}%` : ""}</span>
              <Button variant="ghost" onClick={() => onChange({ backends: rule.backends.filter((_, j) => j !== bi) })}>
                {t("gateway.editor.remove")}
              </Button>
            </div>
          ))}
          {rule.backends.length > 0 && total === 0 && <p className="text-xs text-red-700 dark:text-red-300">{t("gateway.editor.zeroTotal")}</p>}
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => onChange({ backends: [...rule.backends, { group: "", kind: "Service", name: "", namespace: "", port: "80", weight: "0" }] })} data-testid="add-backend">
              {t("gateway.editor.addBackend")}
            </Button>
          </div>
          {site && <SiteBackendPicker environment={environment} site={site} index={index} draft={draft} setDraft={setDraft} />}
        </section>

        <section className="grid gap-3 md:grid-cols-2">
          <Field label={t("gateway.editor.requestTimeout")} error={err("timeouts.request")}>
            <Input value={rule.request} onChange={(e) => onChange({ request: e.target.value })} placeholder="10s" />
          </Field>
          <Field label={t("gateway.editor.backendTimeout")} error={err("timeouts.backendRequest")}>
            <Input value={rule.backendRequest} onChange={(e) => onChange({ backendRequest: e.target.value })} placeholder="2s" />
          </Field>
        </section>
      </div>
    </Card>
  );
}

function FilterEditor({ filter, onChange, onRemove, error }: { filter: FilterModel; onChange: (f: FilterModel) => void; onRemove: () => void; error?: string }) {
  const { t } = useI18n();
  const pairs = (v: Array<{ name: string; value: string }>) => v.map((p) => `${p.name}=${p.value}`).join(", ");
  const parsePairs = (s: string) =>
    list(s).map((p) => {
      const at = p.indexOf("=");
      return at < 0 ? { name: p, value: "" } : { name: p.slice(0, at), value: p.slice(at + 1) };
    });
  return (
    <div className="mb-2 flex flex-wrap items-end gap-2 rounded border border-slate-200 p-2 dark:border-slate-800" data-testid="filter">
      <span className="pb-2 font-mono text-xs">{filter.type}</span>
      {(filter.type === "RequestHeaderModifier" || filter.type === "ResponseHeaderModifier") && (
        <>
          <Field label={t("gateway.editor.setHeaders")}>
            <Input value={pairs(filter.set)} onChange={(e) => onChange({ ...filter, set: parsePairs(e.target.value) })} placeholder="x-env=prod" />
          </Field>
          <Field label={t("gateway.editor.addHeaders")}>
            <Input value={pairs(filter.add)} onChange={(e) => onChange({ ...filter, add: parsePairs(e.target.value) })} />
          </Field>
          <Field label={t("gateway.editor.removeHeaders")}>
            <Input value={filter.remove.join(", ")} onChange={(e) => onChange({ ...filter, remove: list(e.target.value) })} />
          </Field>
        </>
      )}
      {(filter.type === "RequestRedirect" || filter.type === "URLRewrite") && (
        <>
          <Field label={t("gateway.editor.hostname")}>
            <Input value={filter.hostname ?? ""} onChange={(e) => onChange({ ...filter, hostname: e.target.value || undefined })} />
          </Field>
          <Field label={t("gateway.editor.rewritePath")}>
            <Select value={filter.path?.type ?? ""} onChange={(e) => onChange({ ...filter, path: e.target.value ? { type: e.target.value as "ReplaceFullPath" | "ReplacePrefixMatch", value: filter.path?.value ?? "/" } : undefined })}>
              <option value="">—</option>
              <option>ReplaceFullPath</option>
              <option>ReplacePrefixMatch</option>
            </Select>
          </Field>
          {filter.path && (
            <Field label={t("gateway.editor.path")}>
              <Input value={filter.path.value} onChange={(e) => onChange({ ...filter, path: { ...filter.path!, value: e.target.value } })} />
            </Field>
          )}
        </>
      )}
      {filter.type === "RequestRedirect" && (
        <>
          <Field label={t("gateway.editor.scheme")}>
            <Select value={filter.scheme ?? ""} onChange={(e) => onChange({ ...filter, scheme: (e.target.value || undefined) as "http" | "https" | undefined })}>
              <option value="">—</option>
              <option>http</option>
              <option>https</option>
            </Select>
          </Field>
          <Field label={t("gateway.editor.status")}>
            <Select value={String(filter.statusCode ?? 302)} onChange={(e) => onChange({ ...filter, statusCode: Number(e.target.value) as 301 | 302 })}>
              <option>301</option>
              <option>302</option>
            </Select>
          </Field>
        </>
      )}
      {filter.type === "Other" && <code className="text-xs">{JSON.stringify(filter.raw)}</code>}
      <Button variant="ghost" onClick={onRemove}>
        {t("gateway.editor.remove")}
      </Button>
      {error && <span className="text-xs text-red-700 dark:text-red-300">{error}</span>}
    </div>
  );
}

/** "Service S in every zone of site X": one backend per zone, its host from the zone's registry, health shown per zone. */
function SiteBackendPicker({ environment, site, index, draft, setDraft }: { environment: string; site: string; index: number; draft: Draft; setDraft: (d: Draft) => void }) {
  const { t } = useI18n();
  const [service, setService] = useState("");
  const [group, setGroup] = useState("DEFAULT_GROUP");
  const [port, setPort] = useState("8080");
  const [asked, setAsked] = useState<{ service: string; group: string } | null>(null);
  const q = useSiteBackends(environment, site, asked?.service ?? "", asked?.group ?? "");
  function add() {
    if (!q.data || !asked) return;
    const zones = Object.fromEntries(q.data.zones.map((z) => [z.zone, z.host]));
    const share = Math.floor(100 / Math.max(1, q.data.zones.length));
    const backends: BackendDraft[] = q.data.zones.map((z) => ({ group: REGISTRY_BACKEND.group, kind: REGISTRY_BACKEND.kind, name: z.host, namespace: "", port, weight: String(share) }));
    const state = readTrafficState(draft.annotations);
    const siteBackends = [...state.siteBackends.filter((s) => !(s.rule === index && s.site === site && s.service === asked.service)), { rule: index, site, service: asked.service, group: asked.group, zones }];
    setDraft({
      ...draft,
      annotations: writeTrafficState(draft.annotations, { ...state, siteBackends }),
      rules: draft.rules.map((r, i) => (i === index ? { ...r, backends: [...r.backends.filter((b) => !Object.values(zones).includes(b.name)), ...backends] } : r)),
    });
    setAsked(null);
  }
  return (
    <div className="mt-3 rounded border border-dashed border-slate-300 p-2 dark:border-slate-700" data-testid="site-backend">
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">{t("gateway.editor.siteBackend", { site })}</p>
      <div className="flex flex-wrap items-end gap-2">
        <Field label={t("gateway.editor.service")}>
          <Input value={service} onChange={(e) => setService(e.target.value)} data-testid="site-service" />
        </Field>
        <Field label={t("gateway.editor.group")}>
          <Input value={group} onChange={(e) => setGroup(e.target.value)} />
        </Field>
        <Field label={t("gateway.port")}>
          <Input value={port} onChange={(e) => setPort(e.target.value)} className="w-24" />
        </Field>
        <Button variant="secondary" disabled={!service.trim()} onClick={() => setAsked({ service: service.trim(), group: group.trim() || "DEFAULT_GROUP" })} data-testid="site-lookup">
          {t("gateway.editor.lookup")}
        </Button>
      </div>
      {q.error && <ErrorState error={q.error} />}
      {q.data && asked && (
        <div className="mt-2 space-y-1 text-xs">
          {q.data.zones.map((z) => (
            <div key={z.zone} className="flex gap-3">
              <span className="font-medium">{t("gateway.zone", { zone: z.zone })}</span>
              <span className="font-mono">{z.host}</span>
              <span>{z.health ? t("gateway.health", { healthy: z.health.healthy, total: z.health.total }) : t("gateway.healthUnknown")}</span>
            </div>
          ))}
          <Button onClick={add} data-testid="site-add">
            {t("gateway.editor.addSiteBackend")}
          </Button>
        </div>
      )}
    </div>
  );
}
