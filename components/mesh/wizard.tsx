"use client";

import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
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
    <Field label={t("mesh.field.name")} error={NAME.test(value) ? undefined : t("mesh.namespaceInvalid")}>
      <Input value={value} onChange={(e) => onChange(e.target.value)} data-testid="wizard-name" />
    </Field>
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
  const problems: Record<string, string> = { ...trafficShiftProblems(model), ...(NAME.test(name) ? {} : { name: "invalid" }) };
  rows.forEach((r, i) => {
    if (parseLabels(r.labels) === null) problems[`subsets.${i}.labels`] = "key=value";
  });
  const sum = model.subsets.reduce((s, x) => s + (Number.isFinite(x.weight) ? x.weight : 0), 0);
  const objs = trafficShiftToObjects(model, { dr: existing[0], vs: existing[1] });
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <NameField value={name} onChange={setName} />
        <Field label={t("mesh.field.host")} error={errorsOf(problems, "host")}>
          <Input value={host} onChange={(e) => setHost(e.target.value)} data-testid="wizard-host" />
          <span className="mt-0.5 block text-slate-500">{t("mesh.field.hostHelp")}</span>
        </Field>
        {registryNamespace !== null && (
          <Field label={t("mesh.field.group")}>
            <Input value={group} onChange={(e) => setGroup(e.target.value)} />
          </Field>
        )}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium">{t("mesh.field.subsets")}</legend>
        {rows.map((r, i) => (
          <div key={i} className="grid items-start gap-2 sm:grid-cols-[9rem_minmax(0,1fr)_7rem_auto]" data-testid="wizard-subset">
            <Field label={t("mesh.field.subsetName")} error={errorsOf(problems, `subsets.${i}.name`)}>
              <Input className="w-full" value={r.name} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} data-testid={`subset-name-${i}`} />
            </Field>
            <Field label={t("mesh.field.labels")} error={errorsOf(problems, `subsets.${i}.labels`)}>
              <Input className="w-full" value={r.labels} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, labels: e.target.value } : x)))} data-testid={`subset-labels-${i}`} />
            </Field>
            <Field label={t("mesh.field.weight")} error={errorsOf(problems, `subsets.${i}.weight`)}>
              <Input className="w-full" inputMode="numeric" value={r.weight} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, weight: e.target.value } : x)))} data-testid={`subset-weight-${i}`} aria-label={`${t("mesh.field.weight")} ${r.name}`} />
            </Field>
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
  const problems: Record<string, string> = { ...canaryProblems(m), ...(NAME.test(m.name) ? {} : { name: "invalid" }) };
  const match = m.match;
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <Field label={t("mesh.field.host")} error={problems.host}>
          <Input value={m.host} onChange={(e) => setM({ ...m, host: e.target.value })} />
        </Field>
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
          <Field label={t("mesh.field.headerName")} error={problems.header}>
            <Input value={match.header} onChange={(e) => setM({ ...m, match: { ...match, header: e.target.value } })} />
          </Field>
        )}
        {match.on === "cookie" && (
          <Field label={t("mesh.field.cookieName")} error={problems.cookie}>
            <Input value={match.cookie} onChange={(e) => setM({ ...m, match: { ...match, cookie: e.target.value } })} />
          </Field>
        )}
        {match.on !== "cookie" && (
          <Field label={t("mesh.field.matchMode")}>
            <Select value={match.mode} onChange={(e) => setM({ ...m, match: { ...match, mode: e.target.value as "exact" } })}>
              <option value="exact">exact</option>
              <option value="prefix">prefix</option>
              <option value="regex">regex</option>
            </Select>
          </Field>
        )}
        <Field label={t("mesh.field.value")} error={problems.value}>
          <Input value={match.value} onChange={(e) => setM({ ...m, match: { ...match, value: e.target.value } })} />
        </Field>
        <Field label={t("mesh.field.canarySubset")} error={problems.canarySubset}>
          <Input value={m.canarySubset} onChange={(e) => setM({ ...m, canarySubset: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.stableSubset")} error={problems.stableSubset}>
          <Input value={m.stableSubset} onChange={(e) => setM({ ...m, stableSubset: e.target.value })} />
        </Field>
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
  const problems: Record<string, string> = { ...resilienceProblems(model), ...(NAME.test(m.name) ? {} : { name: "invalid" }) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <Field label={t("mesh.field.host")} error={problems.host}>
          <Input value={m.host} onChange={(e) => setM({ ...m, host: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.timeout")} error={problems.timeout}>
          <Input value={m.timeout} onChange={(e) => setM({ ...m, timeout: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.attempts")} error={problems.attempts}>
          <Input inputMode="numeric" value={m.attempts} onChange={(e) => setM({ ...m, attempts: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.perTryTimeout")} error={problems.perTryTimeout}>
          <Input value={m.perTryTimeout} onChange={(e) => setM({ ...m, perTryTimeout: e.target.value })} />
        </Field>
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
  const problems: Record<string, string> = { ...faultProblems(model), ...(NAME.test(name) ? {} : { name: "invalid" }) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={name} onChange={setName} />
        <Field label={t("mesh.field.host")} error={problems.host}>
          <Input value={host} onChange={(e) => setHost(e.target.value)} />
        </Field>
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={delayOn} onChange={(e) => setDelayOn(e.target.checked)} /> {t("mesh.field.delay")}
        </label>
        <Field label={t("mesh.field.percent")} error={problems["delay.percent"]}>
          <Input inputMode="numeric" disabled={!delayOn} value={delay.percent} onChange={(e) => setDelay({ ...delay, percent: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.fixedDelay")} error={problems["delay.fixedDelay"]}>
          <Input disabled={!delayOn} value={delay.fixedDelay} onChange={(e) => setDelay({ ...delay, fixedDelay: e.target.value })} />
        </Field>
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={abortOn} onChange={(e) => setAbortOn(e.target.checked)} /> {t("mesh.field.abort")}
        </label>
        <Field label={t("mesh.field.percent")} error={problems["abort.percent"]}>
          <Input inputMode="numeric" disabled={!abortOn} value={abort.percent} onChange={(e) => setAbort({ ...abort, percent: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.httpStatus")} error={problems["abort.httpStatus"]}>
          <Input inputMode="numeric" disabled={!abortOn} value={abort.httpStatus} onChange={(e) => setAbort({ ...abort, httpStatus: e.target.value })} />
        </Field>
      </fieldset>
      {problems.fault && <p className="text-xs text-red-700 dark:text-red-300">{problems.fault}</p>}
      <Field label={t("mesh.field.deadline")} error={problems.deadlineSeconds}>
        <Input inputMode="numeric" value={deadline} onChange={(e) => setDeadline(e.target.value)} data-testid="wizard-deadline" />
      </Field>
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
  const problems: Record<string, string> = { ...circuitBreakerProblems(model), ...(NAME.test(m.name) ? {} : { name: "invalid" }) };
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
          <Field key={k} label={t(label)} error={problems[k]}>
            <Input value={m[k]} onChange={(e) => setM({ ...m, [k]: e.target.value })} />
          </Field>
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
  const problems: Record<string, string> = { ...(NAME.test(name) ? {} : { name: "invalid" }), ...(sel ? {} : { selector: "key=value" }) };
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <NameField value={name} onChange={setName} />
        <Field label={t("mesh.field.selector")} error={problems.selector}>
          <Input value={selector} onChange={(e) => setSelector(e.target.value)} />
        </Field>
        <Field label={t("mesh.field.mode")}>
          <Select value={mode} onChange={(e) => setMode(e.target.value as MtlsModel["mode"])}>
            <option value="STRICT">STRICT</option>
            <option value="PERMISSIVE">PERMISSIVE</option>
            <option value="DISABLE">DISABLE</option>
          </Select>
        </Field>
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
  const problems: Record<string, string> = { ...jwtProblems(model), ...(NAME.test(m.name) ? {} : { name: "invalid" }), ...(sel ? {} : { selector: "key=value" }) };
  const objs = jwtToObjects(model, { ra: existing[0], ap: existing[1] });
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <NameField value={m.name} onChange={(v) => setM({ ...m, name: v })} />
        <Field label={t("mesh.field.selector")} error={problems.selector}>
          <Input value={m.selector} onChange={(e) => setM({ ...m, selector: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.issuer")} error={problems.issuer}>
          <Input value={m.issuer} onChange={(e) => setM({ ...m, issuer: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.jwksUri")} error={problems.jwksUri}>
          <Input value={m.jwksUri} onChange={(e) => setM({ ...m, jwksUri: e.target.value })} />
        </Field>
        <Field label={t("mesh.field.audiences")}>
          <Input value={m.audiences} onChange={(e) => setM({ ...m, audiences: e.target.value })} />
        </Field>
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
  const problems: Record<string, string> = { ...(NAME.test(name) ? {} : { name: "invalid" }), ...(sel ? {} : { selector: "key=value" }) };
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
        <Field label={t("mesh.field.selector")} error={problems.selector}>
          <Input value={selector} onChange={(e) => setSelector(e.target.value)} />
        </Field>
        <Field label={t("mesh.field.action")}>
          <Select value={action} onChange={(e) => setAction(e.target.value as AuthzModel["action"])}>
            <option value="ALLOW">ALLOW</option>
            <option value="DENY">DENY</option>
          </Select>
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium">{t("mesh.field.rules")}</legend>
        {rules.map((r, i) => (
          <div key={i} className="grid items-end gap-2 sm:grid-cols-[repeat(4,minmax(0,1fr))_auto]">
            {keys.map(([k, label]) => (
              <Field key={k} label={t(label)}>
                <Input className="w-full" value={r[k]} onChange={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)))} />
              </Field>
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
