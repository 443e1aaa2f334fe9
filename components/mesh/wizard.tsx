"use client";

import Link from "next/link";
import { useMemo, useState, type ComponentProps, type ReactNode } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ApplyPanel, type DesiredObject } from "@/components/mesh/apply-panel";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n/messages";
import { usePolicy } from "@/lib/mesh/hooks";
import { meshPaths } from "@/lib/mesh/keys";
import type { MeshKind } from "@/lib/mesh/model/kinds";
import {
  asKubeObject,
  authzFromObjects,
  authzToObjects,
  canaryFromObjects,
  canaryProblems,
  canaryToObjects,
  circuitBreakerFromObjects,
  circuitBreakerProblems,
  circuitBreakerToObjects,
  faultFromObjects,
  faultProblems,
  faultToObjects,
  fromKubeObject,
  jwtFromObjects,
  jwtProblems,
  jwtToObjects,
  mtlsFromObjects,
  mtlsToObjects,
  RETRY_ON,
  resilienceFromObjects,
  resilienceProblems,
  resilienceToObjects,
  trafficShiftFromObjects,
  trafficShiftProblems,
  trafficShiftToObjects,
  type AuthzModel,
  type CanaryModel,
  type CircuitBreakerModel,
  type FaultModel,
  type JwtModel,
  type MtlsModel,
  type ResilienceModel,
  type TrafficShiftModel,
  type WizardId,
  type WizardObject,
} from "@/lib/mesh/model/wizards";
import { useServiceDetail } from "@/lib/registry/hooks";

/** The objects each wizard reads and writes, by name (the wizard's `name`). */
const READS: Record<WizardId, Array<{ kind: MeshKind; suffix?: string }>> = {
  "traffic-shift": [{ kind: "DestinationRule" }, { kind: "VirtualService" }],
  canary: [{ kind: "VirtualService" }],
  resilience: [{ kind: "VirtualService" }],
  fault: [{ kind: "VirtualService" }],
  "circuit-breaker": [{ kind: "DestinationRule" }],
  mtls: [{ kind: "PeerAuthentication" }],
  jwt: [{ kind: "RequestAuthentication" }, { kind: "AuthorizationPolicy", suffix: "-require-jwt" }],
  authz: [{ kind: "AuthorizationPolicy" }],
};

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
const labelsText = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");
const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);
/** A whole number as typed; anything else stays invalid (NaN), never coerced. */
const int = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/** A text field under its label, with its problem (and help) below. */
function TextField({ label, error, help, onChange, ...input }: { label: string; error?: string; help?: ReactNode; onChange: (v: string) => void } & Omit<ComponentProps<typeof Input>, "onChange">) {
  return (
    <Field label={label} error={error}>
      <Input {...input} onChange={(e) => onChange(e.target.value)} />
      {help && <span className="mt-0.5 block text-slate-500">{help}</span>}
    </Field>
  );
}

/** A choice among fixed values shown as they are (Istio enums). */
function SelectField({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void }) {
  return (
    <Field label={label}>
      <Select value={value} options={options} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

const nameProblem = (name: string): Record<string, string> => (NAME.test(name) ? {} : { name: "invalid" });
const selectorProblem = (selector: Record<string, string> | null): Record<string, string> => (selector ? {} : { selector: "key=value" });

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="block text-xs [&_input]:w-full [&_select]:w-full">
      <span className="mb-1 block text-slate-600 dark:text-slate-300">{label}</span>
      {children}
      {error && <span className="mt-0.5 block text-red-700 dark:text-red-300">{error}</span>}
    </label>
  );
}

/**
 * One mesh wizard: opens the live objects into its form when they have a shape it can show
 * (round trip), writes only the fields it owns, and hands the resulting objects to the apply
 * panel (YAML, diff, dry run, confirm).
 */
export function MeshWizard({ environment, namespace, wizard, name, registryNamespace }: { environment: string; namespace: string; wizard: WizardId; name: string; /** null: the environment has no registry. */ registryNamespace: string | null }) {
  const { t } = useI18n();
  const reads = READS[wizard];
  const a = usePolicy(environment, namespace, reads[0]!.kind, `${name}${reads[0]!.suffix ?? ""}`, name !== "");
  const b = usePolicy(environment, namespace, reads[1]?.kind ?? reads[0]!.kind, `${name}${reads[1]?.suffix ?? ""}`, name !== "" && reads.length > 1);
  const missing = (q: typeof a) => q.error instanceof ApiError && q.error.status === 404;
  const loading = name !== "" && ((a.isPending && !missing(a)) || (reads.length > 1 && b.isPending && !missing(b)));
  if (loading) return <Spinner />;
  const objA = a.data ? fromKubeObject(reads[0]!.kind, a.data.object) : null;
  const objB = reads.length > 1 && b.data ? fromKubeObject(reads[1]!.kind, b.data.object) : null;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-300">{t(`mesh.wizard.intro.${wizard}` as MessageKey)}</p>
      <WizardForm key={`${objA?.metadata.name ?? ""}${objB?.metadata.name ?? ""}`} environment={environment} namespace={namespace} wizard={wizard} name={name} existing={[objA, objB]} registryNamespace={registryNamespace} />
    </div>
  );
}

function WizardForm({ environment, namespace, wizard, name, existing, registryNamespace }: { environment: string; namespace: string; wizard: WizardId; name: string; existing: [WizardObject | null, WizardObject | null]; registryNamespace: string | null }) {
  const { t } = useI18n();
  const [x, y] = existing;
  const reopened = (() => {
    switch (wizard) {
      case "traffic-shift":
        return trafficShiftFromObjects(x, y);
      case "canary":
        return canaryFromObjects(x);
      case "resilience":
        return resilienceFromObjects(x);
      case "fault":
        return faultFromObjects(x);
      case "circuit-breaker":
        return circuitBreakerFromObjects(x);
      case "mtls":
        return mtlsFromObjects(x);
      case "jwt":
        return jwtFromObjects(x, y);
      case "authz":
        return authzFromObjects(x);
    }
  })();
  const cannotOpen = (x || y) && !reopened;
  const props = { environment, namespace, existing, registryNamespace };
  return (
    <div className="space-y-4">
      {reopened && <Banner tone="info">{t("mesh.wizard.loaded")}</Banner>}
      {cannotOpen && (
        <Banner tone="warning">
          {t("mesh.wizard.cannotOpen", { kind: (x ?? y)!.kind, name: (x ?? y)!.name })}{" "}
          <Link className="underline" href={meshPaths.editor(environment, namespace, (x ?? y)!.kind, (x ?? y)!.name)}>
            {t("mesh.detail.edit")}
          </Link>
        </Banner>
      )}
      {!cannotOpen && wizard === "traffic-shift" && <TrafficShiftForm {...props} initial={(reopened as TrafficShiftModel | null) ?? { name: name || "reviews", host: name || "reviews", subsets: [{ name: "v1", labels: { version: "v1" }, weight: 90 }, { name: "v2", labels: { version: "v2" }, weight: 10 }] }} />}
      {!cannotOpen && wizard === "canary" && <CanaryForm {...props} initial={(reopened as CanaryModel | null) ?? { name: name || "reviews", host: name || "reviews", match: { on: "header", header: "x-canary", mode: "exact", value: "true" }, canarySubset: "v2", stableSubset: "v1" }} />}
      {!cannotOpen && wizard === "resilience" && <ResilienceForm {...props} initial={(reopened as ResilienceModel | null) ?? { name: name || "reviews", host: name || "reviews", timeout: "5s", attempts: 3, perTryTimeout: "2s", retryOn: ["5xx", "connect-failure"] }} />}
      {!cannotOpen && wizard === "fault" && <FaultForm {...props} initial={(reopened as FaultModel | null) ?? { name: name || "reviews", host: name || "reviews", delay: { percent: 10, fixedDelay: "2s" }, abort: null, deadlineSeconds: 300 }} />}
      {!cannotOpen && wizard === "circuit-breaker" && <CircuitBreakerForm {...props} initial={(reopened as CircuitBreakerModel | null) ?? { name: name || "reviews", host: name || "reviews", maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 }} />}
      {!cannotOpen && wizard === "mtls" && <MtlsForm {...props} initial={(reopened as MtlsModel | null) ?? { name: name || "default", selector: {}, mode: "STRICT" }} />}
      {!cannotOpen && wizard === "jwt" && <JwtForm {...props} initial={(reopened as JwtModel | null) ?? { name: name || "jwt", selector: {}, issuer: "", jwksUri: "", audiences: [] }} />}
      {!cannotOpen && wizard === "authz" && <AuthzForm {...props} initial={(reopened as AuthzModel | null) ?? { name: name || "allow-frontend", selector: {}, action: "ALLOW", rules: [{ namespaces: ["frontend"], principals: [], methods: ["GET"], paths: ["/api/*"] }] }} />}
    </div>
  );
}

interface FormProps<M> {
  environment: string;
  namespace: string;
  existing: [WizardObject | null, WizardObject | null];
  registryNamespace: string | null;
  initial: M;
}

const desired = (objs: WizardObject[], namespace: string): DesiredObject[] => objs.map((o) => ({ kind: o.kind, name: o.name, object: asKubeObject(o, namespace) }));

function NameField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <TextField label={t("mesh.field.name")} error={NAME.test(value) ? undefined : t("mesh.namespaceInvalid")} value={value} data-testid="wizard-name" onChange={onChange} />
  );
}

function errorsOf(p: Record<string, string>, key: string): string | undefined {
  return p[key];
}

// ----------------------------------------------------------------------------- traffic shift

function TrafficShiftForm({ environment, namespace, existing, registryNamespace, initial }: FormProps<TrafficShiftModel>) {
  const { t } = useI18n();
  const [name, setName] = useState(initial.name);
  const [host, setHost] = useState(initial.host);
  const [group, setGroup] = useState("DEFAULT_GROUP");
  const [rows, setRows] = useState(initial.subsets.map((s) => ({ name: s.name, labels: labelsText(s.labels), weight: String(s.weight) })));
  const registry = useServiceDetail(environment, registryNamespace ?? "", registryNamespace !== null && host ? { group, name: host } : null);
  const found = useMemo(() => {
    const pairs = new Set<string>();
    for (const i of registry.data?.instances ?? []) for (const [k, v] of Object.entries(i.metadata ?? {})) if (k === "version" || k.endsWith("version") || k === "zone" || k === "tag") pairs.add(`${k}=${v}`);
    return [...pairs].sort();
  }, [registry.data]);
  const model: TrafficShiftModel = { name, host, subsets: rows.map((r) => ({ name: r.name, labels: parseLabels(r.labels) ?? {}, weight: int(r.weight) })) };
  const problems: Record<string, string> = { ...trafficShiftProblems(model), ...nameProblem(name) };
  rows.forEach((r, i) => {
    if (parseLabels(r.labels) === null) problems[`subsets.${i}.labels`] = "key=value";
  });
  const sum = model.subsets.reduce((s, x) => s + (Number.isFinite(x.weight) ? x.weight : 0), 0);
  const objs = trafficShiftToObjects(model, { dr: existing[0], vs: existing[1] });
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <NameField value={name} onChange={setName} />
        <TextField label={t("mesh.field.host")} error={errorsOf(problems, "host")} help={t("mesh.field.hostHelp")} value={host} data-testid="wizard-host" onChange={setHost} />
        {registryNamespace !== null && (
          <TextField label={t("mesh.field.group")} value={group} onChange={setGroup} />
        )}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium">{t("mesh.field.subsets")}</legend>
        {rows.map((r, i) => (
          <div key={i} className="grid items-start gap-2 sm:grid-cols-[9rem_minmax(0,1fr)_7rem_auto]" data-testid="wizard-subset">
            <TextField label={t("mesh.field.subsetName")} error={errorsOf(problems, `subsets.${i}.name`)} className="w-full" value={r.name} data-testid={`subset-name-${i}`} onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, name: v } : x)))} />
            <TextField label={t("mesh.field.labels")} error={errorsOf(problems, `subsets.${i}.labels`)} className="w-full" value={r.labels} data-testid={`subset-labels-${i}`} onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, labels: v } : x)))} />
            <TextField label={t("mesh.field.weight")} error={errorsOf(problems, `subsets.${i}.weight`)} className="w-full" inputMode="numeric" value={r.weight} data-testid={`subset-weight-${i}`} aria-label={`${t("mesh.field.weight")} ${r.name}`} onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, weight: v } : x)))} />
            <Button variant="ghost" className="mt-5" onClick={() => setRows(rows.filter((_, j) => j !== i))} disabled={rows.length <= 1}>
              {t("mesh.field.remove")}
            </Button>
          </div>
        ))}
        <p className={`text-xs ${sum === 100 ? "text-slate-500" : "text-red-700 dark:text-red-300"}`} data-testid="wizard-weight-sum">
          {t("mesh.field.weightsSum", { sum })}
        </p>
        <Button variant="secondary" onClick={() => setRows([...rows, { name: `v${rows.length + 1}`, labels: `version=v${rows.length + 1}`, weight: "0" }])}>
          {t("mesh.field.addSubset")}
        </Button>
      </fieldset>
      {registryNamespace !== null && (registry.data || registry.isError) && (
      <div className="text-xs" data-testid="wizard-registry-labels">
        <p className="font-medium">{t("mesh.field.fromRegistry")}</p>
        {registry.isError && <p className="text-slate-500">{t("mesh.field.fromRegistryNone")}</p>}
        {registry.data && found.length === 0 && <p className="text-slate-500">{t("mesh.field.fromRegistryNone")}</p>}
        <div className="mt-1 flex flex-wrap gap-1">
          {found.map((pair) => (
            <Button
              key={pair}
              variant="secondary"
              className="px-2 py-0.5 text-xs"
              disabled={rows.some((r) => r.labels === pair)}
              onClick={() => setRows([...rows, { name: pair.split("=")[1]!.toLowerCase().replace(/[^a-z0-9-]/g, "-"), labels: pair, weight: "0" }])}
            >
              {t("mesh.field.useLabel", { label: pair })}
            </Button>
          ))}
        </div>
      </div>
      )}
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([objs.dr, objs.vs], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// ------------------------------------------------------------------------------------ canary

function CanaryForm({ environment, namespace, existing, initial }: FormProps<CanaryModel>) {
  const { t } = useI18n();
  const [m, setM] = useState(initial);
  const problems: Record<string, string> = { ...canaryProblems(m), ...nameProblem(m.name) };
  const match = m.match;
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <TextField label={t("mesh.field.host")} error={problems.host} value={m.host} onChange={(v) => setM({ ...m, host: v })} />
        <Field label={t("mesh.field.matchOn")}>
          <Select
            value={match.on}
            onChange={(e) => {
              const on = e.target.value;
              setM({ ...m, match: on === "cookie" ? { on: "cookie", cookie: "user", value: match.value } : on === "uri" ? { on: "uri", mode: "prefix", value: match.value } : { on: "header", header: "x-canary", mode: "exact", value: match.value } });
            }}
          >
            <option value="header">{t("mesh.field.matchOn.header")}</option>
            <option value="cookie">{t("mesh.field.matchOn.cookie")}</option>
            <option value="uri">{t("mesh.field.matchOn.uri")}</option>
          </Select>
        </Field>
        {match.on === "header" && (
          <TextField label={t("mesh.field.headerName")} error={problems.header} value={match.header} onChange={(v) => setM({ ...m, match: { ...match, header: v } })} />
        )}
        {match.on === "cookie" && (
          <TextField label={t("mesh.field.cookieName")} error={problems.cookie} value={match.cookie} onChange={(v) => setM({ ...m, match: { ...match, cookie: v } })} />
        )}
        {match.on !== "cookie" && (
          <SelectField label={t("mesh.field.matchMode")} value={match.mode} options={["exact", "prefix", "regex"]} onChange={(v) => setM({ ...m, match: { ...match, mode: v as "exact" } })} />
        )}
        <TextField label={t("mesh.field.value")} error={problems.value} value={match.value} onChange={(v) => setM({ ...m, match: { ...match, value: v } })} />
        <TextField label={t("mesh.field.canarySubset")} error={problems.canarySubset} value={m.canarySubset} onChange={(v) => setM({ ...m, canarySubset: v })} />
        <TextField label={t("mesh.field.stableSubset")} error={problems.stableSubset} value={m.stableSubset} onChange={(v) => setM({ ...m, stableSubset: v })} />
      </div>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([canaryToObjects(m, existing[0]).vs], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// -------------------------------------------------------------------------------- resilience

function ResilienceForm({ environment, namespace, existing, initial }: FormProps<ResilienceModel>) {
  const { t } = useI18n();
  const [m, setM] = useState({ ...initial, attempts: String(initial.attempts) });
  const model: ResilienceModel = { ...m, attempts: int(m.attempts) };
  const problems: Record<string, string> = { ...resilienceProblems(model), ...nameProblem(m.name) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <TextField label={t("mesh.field.host")} error={problems.host} value={m.host} onChange={(v) => setM({ ...m, host: v })} />
        <TextField label={t("mesh.field.timeout")} error={problems.timeout} value={m.timeout} onChange={(v) => setM({ ...m, timeout: v })} />
        <TextField label={t("mesh.field.attempts")} error={problems.attempts} inputMode="numeric" value={m.attempts} onChange={(v) => setM({ ...m, attempts: v })} />
        <TextField label={t("mesh.field.perTryTimeout")} error={problems.perTryTimeout} value={m.perTryTimeout} onChange={(v) => setM({ ...m, perTryTimeout: v })} />
      </div>
      <fieldset className="flex flex-wrap gap-3 text-xs">
        <legend className="mb-1 font-medium">{t("mesh.field.retryOn")}</legend>
        {RETRY_ON.map((c) => (
          <label key={c} className="flex items-center gap-1">
            <input type="checkbox" checked={m.retryOn.includes(c)} onChange={(e) => setM({ ...m, retryOn: e.target.checked ? [...m.retryOn, c] : m.retryOn.filter((x) => x !== c) })} />
            {c}
          </label>
        ))}
      </fieldset>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([resilienceToObjects(model, existing[0]).vs], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// ------------------------------------------------------------------------------------- fault

function FaultForm({ environment, namespace, existing, initial }: FormProps<FaultModel>) {
  const { t } = useI18n();
  const [name, setName] = useState(initial.name);
  const [host, setHost] = useState(initial.host);
  const [delayOn, setDelayOn] = useState(initial.delay !== null);
  const [delay, setDelay] = useState({ percent: String(initial.delay?.percent ?? 10), fixedDelay: initial.delay?.fixedDelay ?? "2s" });
  const [abortOn, setAbortOn] = useState(initial.abort !== null);
  const [abort, setAbort] = useState({ percent: String(initial.abort?.percent ?? 5), httpStatus: String(initial.abort?.httpStatus ?? 503) });
  const [deadline, setDeadline] = useState(initial.deadlineSeconds === null ? "" : String(initial.deadlineSeconds));
  const model: FaultModel = {
    name,
    host,
    delay: delayOn ? { percent: int(delay.percent), fixedDelay: delay.fixedDelay } : null,
    abort: abortOn ? { percent: int(abort.percent), httpStatus: int(abort.httpStatus) } : null,
    deadlineSeconds: deadline.trim() === "" ? null : int(deadline),
  };
  const problems: Record<string, string> = { ...faultProblems(model), ...nameProblem(name) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={name} onChange={setName} />
        <TextField label={t("mesh.field.host")} error={problems.host} value={host} onChange={setHost} />
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={delayOn} onChange={(e) => setDelayOn(e.target.checked)} /> {t("mesh.field.delay")}
        </label>
        <TextField label={t("mesh.field.percent")} error={problems["delay.percent"]} inputMode="numeric" disabled={!delayOn} value={delay.percent} onChange={(v) => setDelay({ ...delay, percent: v })} />
        <TextField label={t("mesh.field.fixedDelay")} error={problems["delay.fixedDelay"]} disabled={!delayOn} value={delay.fixedDelay} onChange={(v) => setDelay({ ...delay, fixedDelay: v })} />
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={abortOn} onChange={(e) => setAbortOn(e.target.checked)} /> {t("mesh.field.abort")}
        </label>
        <TextField label={t("mesh.field.percent")} error={problems["abort.percent"]} inputMode="numeric" disabled={!abortOn} value={abort.percent} onChange={(v) => setAbort({ ...abort, percent: v })} />
        <TextField label={t("mesh.field.httpStatus")} error={problems["abort.httpStatus"]} inputMode="numeric" disabled={!abortOn} value={abort.httpStatus} onChange={(v) => setAbort({ ...abort, httpStatus: v })} />
      </fieldset>
      {problems.fault && <p className="text-xs text-red-700 dark:text-red-300">{problems.fault}</p>}
      <TextField label={t("mesh.field.deadline")} error={problems.deadlineSeconds} inputMode="numeric" value={deadline} data-testid="wizard-deadline" onChange={setDeadline} />
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([faultToObjects(model, existing[0]).vs], namespace)} disabled={Object.keys(problems).length > 0} fault={{ deadlineSeconds: model.deadlineSeconds }} />
    </div>
  );
}

// ---------------------------------------------------------------------------- circuit breaker

function CircuitBreakerForm({ environment, namespace, existing, initial }: FormProps<CircuitBreakerModel>) {
  const { t } = useI18n();
  const [m, setM] = useState(Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, String(v)])) as Record<keyof CircuitBreakerModel, string>);
  const model: CircuitBreakerModel = {
    name: m.name,
    host: m.host,
    maxConnections: int(m.maxConnections),
    http1MaxPendingRequests: int(m.http1MaxPendingRequests),
    maxRequestsPerConnection: int(m.maxRequestsPerConnection),
    consecutive5xxErrors: int(m.consecutive5xxErrors),
    interval: m.interval,
    baseEjectionTime: m.baseEjectionTime,
    maxEjectionPercent: int(m.maxEjectionPercent),
  };
  const problems: Record<string, string> = { ...circuitBreakerProblems(model), ...nameProblem(m.name) };
  const fields: Array<[keyof CircuitBreakerModel, MessageKey]> = [
    ["host", "mesh.field.host"],
    ["maxConnections", "mesh.field.maxConnections"],
    ["http1MaxPendingRequests", "mesh.field.pending"],
    ["maxRequestsPerConnection", "mesh.field.perConnection"],
    ["consecutive5xxErrors", "mesh.field.consecutive5xx"],
    ["interval", "mesh.field.interval"],
    ["baseEjectionTime", "mesh.field.ejection"],
    ["maxEjectionPercent", "mesh.field.maxEjection"],
  ];
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        {fields.map(([k, label]) => (
          <TextField key={k} label={t(label)} error={problems[k]} value={m[k]} onChange={(v) => setM({ ...m, [k]: v })} />
        ))}
      </div>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([circuitBreakerToObjects(model, existing[0]).dr], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// -------------------------------------------------------------------------------------- mTLS

function MtlsForm({ environment, namespace, existing, initial }: FormProps<MtlsModel>) {
  const { t } = useI18n();
  const [name, setName] = useState(initial.name);
  const [selector, setSelector] = useState(labelsText(initial.selector));
  const [mode, setMode] = useState(initial.mode);
  const sel = parseLabels(selector);
  const problems: Record<string, string> = { ...nameProblem(name), ...selectorProblem(sel) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <NameField value={name} onChange={setName} />
        <TextField label={t("mesh.field.selector")} error={problems.selector} value={selector} onChange={setSelector} />
        <SelectField label={t("mesh.field.mode")} value={mode} options={["STRICT", "PERMISSIVE", "DISABLE"]} onChange={(v) => setMode(v as MtlsModel["mode"])} />
      </div>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([mtlsToObjects({ name, selector: sel ?? {}, mode }, existing[0]).pa], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// --------------------------------------------------------------------------------------- JWT

function JwtForm({ environment, namespace, existing, initial }: FormProps<JwtModel>) {
  const { t } = useI18n();
  const [m, setM] = useState({ ...initial, selector: labelsText(initial.selector), audiences: initial.audiences.join(",") });
  const sel = parseLabels(m.selector);
  const model: JwtModel = { name: m.name, selector: sel ?? {}, issuer: m.issuer, jwksUri: m.jwksUri, audiences: list(m.audiences) };
  const problems: Record<string, string> = { ...jwtProblems(model), ...nameProblem(m.name), ...selectorProblem(sel) };
  const objs = jwtToObjects(model, { ra: existing[0], ap: existing[1] });
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <TextField label={t("mesh.field.selector")} error={problems.selector} value={m.selector} onChange={(v) => setM({ ...m, selector: v })} />
        <TextField label={t("mesh.field.issuer")} error={problems.issuer} value={m.issuer} onChange={(v) => setM({ ...m, issuer: v })} />
        <TextField label={t("mesh.field.jwksUri")} error={problems.jwksUri} value={m.jwksUri} onChange={(v) => setM({ ...m, jwksUri: v })} />
        <TextField label={t("mesh.field.audiences")} value={m.audiences} onChange={(v) => setM({ ...m, audiences: v })} />
      </div>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([objs.ra, objs.ap], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}

// ------------------------------------------------------------------------------ allow / deny

function AuthzForm({ environment, namespace, existing, initial }: FormProps<AuthzModel>) {
  const { t } = useI18n();
  const [name, setName] = useState(initial.name);
  const [selector, setSelector] = useState(labelsText(initial.selector));
  const [action, setAction] = useState(initial.action);
  const [rules, setRules] = useState(initial.rules.map((r) => ({ namespaces: r.namespaces.join(","), principals: r.principals.join(","), methods: r.methods.join(","), paths: r.paths.join(",") })));
  const sel = parseLabels(selector);
  const model: AuthzModel = { name, selector: sel ?? {}, action, rules: rules.map((r) => ({ namespaces: list(r.namespaces), principals: list(r.principals), methods: list(r.methods), paths: list(r.paths) })) };
  const problems: Record<string, string> = { ...nameProblem(name), ...selectorProblem(sel) };
  const keys: Array<["namespaces" | "principals" | "methods" | "paths", MessageKey]> = [
    ["namespaces", "mesh.field.namespaces"],
    ["principals", "mesh.field.principals"],
    ["methods", "mesh.field.methods"],
    ["paths", "mesh.field.paths"],
  ];
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <NameField value={name} onChange={setName} />
        <TextField label={t("mesh.field.selector")} error={problems.selector} value={selector} onChange={setSelector} />
        <SelectField label={t("mesh.field.action")} value={action} options={["ALLOW", "DENY"]} onChange={(v) => setAction(v as AuthzModel["action"])} />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium">{t("mesh.field.rules")}</legend>
        {rules.map((r, i) => (
          <div key={i} className="grid items-end gap-2 sm:grid-cols-[repeat(4,minmax(0,1fr))_auto]">
            {keys.map(([k, label]) => (
              <TextField key={k} label={t(label)} className="w-full" value={r[k]} onChange={(v) => setRules(rules.map((x, j) => (j === i ? { ...x, [k]: v } : x)))} />
            ))}
            <Button variant="ghost" onClick={() => setRules(rules.filter((_, j) => j !== i))} disabled={rules.length <= 1}>
              {t("mesh.field.remove")}
            </Button>
          </div>
        ))}
        <Button variant="secondary" onClick={() => setRules([...rules, { namespaces: "", principals: "", methods: "", paths: "" }])}>
          {t("mesh.field.addRule")}
        </Button>
      </fieldset>
      <ApplyPanel environment={environment} namespace={namespace} objects={desired([authzToObjects(model, existing[0]).ap], namespace)} disabled={Object.keys(problems).length > 0} />
    </div>
  );
}
