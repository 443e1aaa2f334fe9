/**
 * The Mesh wizards as pure functions between a form model and Istio objects (issue #14 item 3):
 * `toObjects(model, existing)` writes correct objects — changing only the fields the wizard owns
 * in objects that already exist — and `fromObjects(objects)` reopens them into the same model
 * (round trip, proven in wizards.test.ts), or null when an object has a shape the wizard cannot
 * show (then the YAML editor is the way). Shared by server and browser.
 */
import type { MeshKind } from "@/lib/mesh/model/kinds";
import { MESH_API_VERSIONS, MESH_KIND_NAMES } from "@/lib/mesh/model/kinds";

export interface WizardObject {
  kind: MeshKind;
  name: string;
  apiVersion: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

type Spec = Record<string, unknown>;
const obj = (v: unknown): Spec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Spec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
/** JSON with sorted keys: the API server stores custom resources with their keys sorted. */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, y]) => [k, sort(y)])) : x;
  return JSON.stringify(sort(v));
}
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function make(kind: MeshKind, name: string, spec: Spec, existing?: WizardObject | null): WizardObject {
  return {
    kind,
    name,
    apiVersion: MESH_API_VERSIONS[kind],
    metadata: { ...(existing?.metadata ?? {}), name },
    spec,
  };
}

/** The form object written as a Kubernetes object (apiVersion, kind, metadata, spec). */
export function asKubeObject(o: WizardObject, namespace: string): Record<string, unknown> {
  return { apiVersion: o.apiVersion, kind: MESH_KIND_NAMES[o.kind], metadata: { ...o.metadata, namespace }, spec: o.spec };
}

/** A WizardObject from a Kubernetes object (as listed or previewed). */
export function fromKubeObject(kind: MeshKind, o: { metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown } | null | undefined): WizardObject | null {
  if (!o?.metadata?.name) return null;
  const metadata: WizardObject["metadata"] = { name: o.metadata.name };
  if (o.metadata.labels && Object.keys(o.metadata.labels).length) metadata.labels = o.metadata.labels;
  if (o.metadata.annotations && Object.keys(o.metadata.annotations).length) metadata.annotations = o.metadata.annotations;
  return { kind, name: o.metadata.name, apiVersion: MESH_API_VERSIONS[kind], metadata, spec: clone(obj(o.spec)) };
}

// ------------------------------------------------------------------------- traffic shifting

export interface ShiftSubset {
  name: string;
  /** Instance labels (registry metadata) the subset selects, e.g. { version: "v2" }. */
  labels: Record<string, string>;
  weight: number;
}

export interface TrafficShiftModel {
  /** Object name of the DestinationRule and VirtualService. */
  name: string;
  host: string;
  subsets: ShiftSubset[];
}

/** Problems of the form, by field, in plain words (en); empty when it may be applied. */
export function trafficShiftProblems(m: TrafficShiftModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.host.trim()) p.host = "required";
  if (m.subsets.length < 1) p.subsets = "at least one subset";
  const names = new Set<string>();
  m.subsets.forEach((s, i) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s.name)) p[`subsets.${i}.name`] = "lower-case letters, digits and '-'";
    else if (names.has(s.name)) p[`subsets.${i}.name`] = "used twice";
    names.add(s.name);
    if (!Number.isInteger(s.weight) || s.weight < 0 || s.weight > 100) p[`subsets.${i}.weight`] = "a whole number from 0 to 100";
    if (Object.keys(s.labels).length === 0) p[`subsets.${i}.labels`] = "at least one label";
  });
  const sum = m.subsets.reduce((a, s) => a + (Number.isFinite(s.weight) ? s.weight : 0), 0);
  if (m.subsets.length && sum !== 100) p.weights = `weights add up to ${sum}, not 100`;
  return p;
}

/**
 * DestinationRule subsets (other subsets and the traffic policy kept) and a VirtualService whose
 * first http route splits the host by weight (other routes kept).
 */
export function trafficShiftToObjects(m: TrafficShiftModel, existing: { dr?: WizardObject | null; vs?: WizardObject | null } = {}): { dr: WizardObject; vs: WizardObject } {
  const drSpec = clone(existing.dr?.spec ?? {});
  const keep = arr(drSpec.subsets).filter((s) => !m.subsets.some((x) => x.name === str(obj(s).name)));
  const byName = new Map(arr(existing.dr?.spec.subsets).map((s) => [str(obj(s).name), obj(s)]));
  drSpec.host = m.host;
  drSpec.subsets = [
    ...m.subsets.map((s) => ({ ...clone(byName.get(s.name) ?? {}), name: s.name, labels: { ...s.labels } })),
    ...keep,
  ];
  const vsSpec = clone(existing.vs?.spec ?? {});
  vsSpec.hosts = arr(vsSpec.hosts).length ? vsSpec.hosts : [m.host];
  const http = arr(vsSpec.http).map((r) => obj(r));
  const first = http[0] ?? {};
  http[0] = { ...first, route: m.subsets.map((s) => ({ destination: { host: m.host, subset: s.name }, weight: s.weight })) };
  vsSpec.http = http;
  return { dr: make("DestinationRule", m.name, drSpec, existing.dr), vs: make("VirtualService", m.name, vsSpec, existing.vs) };
}

export function trafficShiftFromObjects(dr: WizardObject | null, vs: WizardObject | null): TrafficShiftModel | null {
  if (!vs) return null;
  const route = arr(obj(arr(vs.spec.http)[0]).route).map(obj);
  if (route.length === 0) return null;
  const host = str(obj(route[0]!.destination).host);
  if (!host || route.some((r) => str(obj(r.destination).host) !== host || !str(obj(r.destination).subset))) return null;
  const subsets = new Map(arr(dr?.spec.subsets).map((s) => [str(obj(s).name), obj(obj(s).labels) as Record<string, string>]));
  return {
    name: vs.name,
    host,
    subsets: route.map((r) => {
      const name = str(obj(r.destination).subset)!;
      return { name, labels: { ...(subsets.get(name) ?? {}) }, weight: num(r.weight) ?? (route.length === 1 ? 100 : 0) };
    }),
  };
}

// ------------------------------------------------------------------------ header/cookie/URI canary

export type MatchMode = "exact" | "prefix" | "regex";

export interface CanaryModel {
  name: string;
  host: string;
  /** What sends a request to the canary subset. */
  match: { on: "header"; header: string; mode: MatchMode; value: string } | { on: "cookie"; cookie: string; value: string } | { on: "uri"; mode: MatchMode; value: string };
  canarySubset: string;
  stableSubset: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const cookieRegex = (name: string, value: string) => `^(.*?;\\s*)?(${escapeRegex(name)}=${escapeRegex(value)})(;.*)?$`;
const COOKIE_RE = /^\^\(\.\*\?;\\s\*\)\?\((.*)\)\(;\.\*\)\?\$$/;
const unescapeRegex = (s: string) => s.replace(/\\([.*+?^${}()|[\]\\])/g, "$1");

export function canaryProblems(m: CanaryModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.host.trim()) p.host = "required";
  if (!m.canarySubset) p.canarySubset = "required";
  if (!m.stableSubset) p.stableSubset = "required";
  if (m.canarySubset && m.canarySubset === m.stableSubset) p.canarySubset = "must differ from the stable subset";
  if (!m.match.value) p.value = "required";
  if (m.match.on === "header" && !/^[a-z0-9-]+$/.test(m.match.header)) p.header = "a lower-case header name";
  if (m.match.on === "cookie" && !/^[A-Za-z0-9_.-]+$/.test(m.match.cookie)) p.cookie = "a cookie name";
  return p;
}

/** A VirtualService: the first http route sends matching requests to the canary, the second everything else to stable. */
export function canaryToObjects(m: CanaryModel, existing?: WizardObject | null): { vs: WizardObject } {
  const spec = clone(existing?.spec ?? {});
  spec.hosts = arr(spec.hosts).length ? spec.hosts : [m.host];
  const match =
    m.match.on === "header"
      ? { headers: { [m.match.header]: { [m.match.mode]: m.match.value } } }
      : m.match.on === "cookie"
        ? { headers: { cookie: { regex: cookieRegex(m.match.cookie, m.match.value) } } }
        : { uri: { [m.match.mode]: m.match.value } };
  spec.http = [
    { match: [match], route: [{ destination: { host: m.host, subset: m.canarySubset } }] },
    { route: [{ destination: { host: m.host, subset: m.stableSubset } }] },
  ];
  return { vs: make("VirtualService", m.name, spec, existing) };
}

export function canaryFromObjects(vs: WizardObject | null): CanaryModel | null {
  if (!vs) return null;
  const http = arr(vs.spec.http).map(obj);
  if (http.length !== 2) return null;
  const [canary, stable] = http as [Spec, Spec];
  const cd = arr(canary.route).map(obj);
  const sd = arr(stable.route).map(obj);
  if (cd.length !== 1 || sd.length !== 1 || arr(stable.match).length) return null;
  const host = str(obj(cd[0]!.destination).host);
  const canarySubset = str(obj(cd[0]!.destination).subset);
  const stableSubset = str(obj(sd[0]!.destination).subset);
  if (!host || !canarySubset || !stableSubset || str(obj(sd[0]!.destination).host) !== host) return null;
  const matches = arr(canary.match).map(obj);
  if (matches.length !== 1) return null;
  const mm = matches[0]!;
  const only = (o: Spec): [MatchMode, string] | null => {
    const keys = Object.keys(o);
    if (keys.length !== 1 || !["exact", "prefix", "regex"].includes(keys[0]!) || typeof o[keys[0]!] !== "string") return null;
    return [keys[0] as MatchMode, o[keys[0]!] as string];
  };
  let match: CanaryModel["match"];
  if (mm.uri && Object.keys(mm).length === 1) {
    const u = only(obj(mm.uri));
    if (!u) return null;
    match = { on: "uri", mode: u[0], value: u[1] };
  } else if (mm.headers && Object.keys(mm).length === 1) {
    const hs = Object.entries(obj(mm.headers));
    if (hs.length !== 1) return null;
    const [header, cond] = hs[0]!;
    const c = only(obj(cond));
    if (!c) return null;
    const cm = header === "cookie" && c[0] === "regex" ? COOKIE_RE.exec(c[1]) : null;
    if (cm) {
      const pair = unescapeRegex(cm[1]!);
      const eq = pair.indexOf("=");
      match = { on: "cookie", cookie: pair.slice(0, eq), value: pair.slice(eq + 1) };
    } else match = { on: "header", header, mode: c[0], value: c[1] };
  } else return null;
  return { name: vs.name, host, match, canarySubset, stableSubset };
}

// ------------------------------------------------------------------------- timeouts and retries

export const RETRY_ON = ["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "cancelled", "deadline-exceeded", "resource-exhausted", "unavailable"] as const;

export interface ResilienceModel {
  name: string;
  host: string;
  /** Whole request timeout, e.g. "5s"; "" = none. */
  timeout: string;
  attempts: number;
  /** "" = Istio's default. */
  perTryTimeout: string;
  retryOn: string[];
}

const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export function resilienceProblems(m: ResilienceModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.host.trim()) p.host = "required";
  if (m.timeout && !DURATION.test(m.timeout)) p.timeout = "a duration such as 500ms, 5s or 1m";
  if (m.perTryTimeout && !DURATION.test(m.perTryTimeout)) p.perTryTimeout = "a duration such as 500ms, 5s or 1m";
  if (!Number.isInteger(m.attempts) || m.attempts < 0 || m.attempts > 20) p.attempts = "a whole number from 0 to 20";
  return p;
}

/** Timeout and retries on every http route of the VirtualService (a new one routes to the host). */
export function resilienceToObjects(m: ResilienceModel, existing?: WizardObject | null): { vs: WizardObject } {
  const spec = clone(existing?.spec ?? {});
  spec.hosts = arr(spec.hosts).length ? spec.hosts : [m.host];
  const http = arr(spec.http).length ? arr(spec.http).map(obj) : [{ route: [{ destination: { host: m.host } }] }];
  spec.http = http.map((r) => {
    const out: Spec = { ...r };
    delete out.timeout;
    delete out.retries;
    if (m.timeout) out.timeout = m.timeout;
    out.retries = { attempts: m.attempts, ...(m.perTryTimeout ? { perTryTimeout: m.perTryTimeout } : {}), ...(m.retryOn.length ? { retryOn: m.retryOn.join(",") } : {}) };
    return out;
  });
  return { vs: make("VirtualService", m.name, spec, existing) };
}

export function resilienceFromObjects(vs: WizardObject | null): ResilienceModel | null {
  if (!vs) return null;
  const http = arr(vs.spec.http).map(obj);
  if (!http.length) return null;
  const first = http[0]!;
  const same = http.every((r) => JSON.stringify([r.timeout, r.retries]) === JSON.stringify([first.timeout, first.retries]));
  if (!same) return null;
  const retries = obj(first.retries);
  const host = str(obj(obj(arr(first.route)[0]).destination).host) ?? str(arr(vs.spec.hosts)[0]) ?? "";
  return {
    name: vs.name,
    host,
    timeout: str(first.timeout) ?? "",
    attempts: num(retries.attempts) ?? 0,
    perTryTimeout: str(retries.perTryTimeout) ?? "",
    retryOn: (str(retries.retryOn) ?? "").split(",").filter(Boolean),
  };
}

// ------------------------------------------------------------------------------ fault injection

export interface FaultModel {
  name: string;
  host: string;
  delay: { percent: number; fixedDelay: string } | null;
  abort: { percent: number; httpStatus: number } | null;
  /** Seconds after which the console removes the fault again; null = stays until removed. */
  deadlineSeconds: number | null;
}

export function faultProblems(m: FaultModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.host.trim()) p.host = "required";
  if (!m.delay && !m.abort) p.fault = "choose a delay, an abort or both";
  const pct = (v: number) => Number.isFinite(v) && v >= 0 && v <= 100;
  if (m.delay && !pct(m.delay.percent)) p["delay.percent"] = "a percentage from 0 to 100";
  if (m.delay && !DURATION.test(m.delay.fixedDelay)) p["delay.fixedDelay"] = "a duration such as 500ms or 5s";
  if (m.abort && !pct(m.abort.percent)) p["abort.percent"] = "a percentage from 0 to 100";
  if (m.abort && (!Number.isInteger(m.abort.httpStatus) || m.abort.httpStatus < 200 || m.abort.httpStatus > 599)) p["abort.httpStatus"] = "an HTTP status from 200 to 599";
  if (m.deadlineSeconds !== null && (!Number.isInteger(m.deadlineSeconds) || m.deadlineSeconds < 5 || m.deadlineSeconds > 7 * 86_400)) p.deadlineSeconds = "whole seconds from 5 to 604800";
  return p;
}

/** The fault on every http route of the VirtualService. */
export function faultToObjects(m: FaultModel, existing?: WizardObject | null): { vs: WizardObject } {
  const spec = clone(existing?.spec ?? {});
  spec.hosts = arr(spec.hosts).length ? spec.hosts : [m.host];
  const http = arr(spec.http).length ? arr(spec.http).map(obj) : [{ route: [{ destination: { host: m.host } }] }];
  spec.http = http.map((r) => {
    const out: Spec = { ...r };
    delete out.fault;
    const fault: Spec = {};
    if (m.delay) fault.delay = { percentage: { value: m.delay.percent }, fixedDelay: m.delay.fixedDelay };
    if (m.abort) fault.abort = { percentage: { value: m.abort.percent }, httpStatus: m.abort.httpStatus };
    if (Object.keys(fault).length) out.fault = fault;
    return out;
  });
  return { vs: make("VirtualService", m.name, spec, existing) };
}

/** The VirtualService with every fault removed (what a deadline puts back when nothing else changed). */
export function withoutFault(vs: WizardObject): WizardObject {
  const spec = clone(vs.spec);
  spec.http = arr(spec.http).map((r) => {
    const out = { ...obj(r) };
    delete out.fault;
    return out;
  });
  return { ...vs, spec };
}

export function faultFromObjects(vs: WizardObject | null, deadlineSeconds: number | null = null): FaultModel | null {
  if (!vs) return null;
  const http = arr(vs.spec.http).map(obj);
  if (!http.length) return null;
  const first = JSON.stringify(http[0]!.fault ?? null);
  if (!http.every((r) => JSON.stringify(r.fault ?? null) === first)) return null;
  const fault = obj(http[0]!.fault);
  const d = obj(fault.delay);
  const a = obj(fault.abort);
  const host = str(obj(obj(arr(http[0]!.route)[0]).destination).host) ?? str(arr(vs.spec.hosts)[0]) ?? "";
  return {
    name: vs.name,
    host,
    delay: fault.delay ? { percent: num(obj(d.percentage).value) ?? 100, fixedDelay: str(d.fixedDelay) ?? "" } : null,
    abort: fault.abort ? { percent: num(obj(a.percentage).value) ?? 100, httpStatus: num(a.httpStatus) ?? 0 } : null,
    deadlineSeconds,
  };
}

// --------------------------------------------------------------------------- circuit breaking

export interface CircuitBreakerModel {
  name: string;
  host: string;
  maxConnections: number;
  http1MaxPendingRequests: number;
  maxRequestsPerConnection: number;
  consecutive5xxErrors: number;
  interval: string;
  baseEjectionTime: string;
  maxEjectionPercent: number;
}

export function circuitBreakerProblems(m: CircuitBreakerModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.host.trim()) p.host = "required";
  for (const k of ["maxConnections", "http1MaxPendingRequests", "maxRequestsPerConnection", "consecutive5xxErrors"] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1 || m[k] > 1_000_000) p[k] = "a whole number from 1 to 1000000";
  }
  if (!DURATION.test(m.interval)) p.interval = "a duration such as 10s";
  if (!DURATION.test(m.baseEjectionTime)) p.baseEjectionTime = "a duration such as 30s";
  if (!Number.isInteger(m.maxEjectionPercent) || m.maxEjectionPercent < 0 || m.maxEjectionPercent > 100) p.maxEjectionPercent = "a whole number from 0 to 100";
  return p;
}

export function circuitBreakerToObjects(m: CircuitBreakerModel, existing?: WizardObject | null): { dr: WizardObject } {
  const spec = clone(existing?.spec ?? {});
  spec.host = m.host;
  const tp = obj(spec.trafficPolicy);
  spec.trafficPolicy = {
    ...tp,
    connectionPool: { ...obj(tp.connectionPool), tcp: { ...obj(obj(tp.connectionPool).tcp), maxConnections: m.maxConnections }, http: { ...obj(obj(tp.connectionPool).http), http1MaxPendingRequests: m.http1MaxPendingRequests, maxRequestsPerConnection: m.maxRequestsPerConnection } },
    outlierDetection: { ...obj(tp.outlierDetection), consecutive5xxErrors: m.consecutive5xxErrors, interval: m.interval, baseEjectionTime: m.baseEjectionTime, maxEjectionPercent: m.maxEjectionPercent },
  };
  return { dr: make("DestinationRule", m.name, spec, existing) };
}

export function circuitBreakerFromObjects(dr: WizardObject | null): CircuitBreakerModel | null {
  if (!dr) return null;
  const tp = obj(dr.spec.trafficPolicy);
  const cp = obj(tp.connectionPool);
  const od = obj(tp.outlierDetection);
  const v = {
    maxConnections: num(obj(cp.tcp).maxConnections),
    http1MaxPendingRequests: num(obj(cp.http).http1MaxPendingRequests),
    maxRequestsPerConnection: num(obj(cp.http).maxRequestsPerConnection),
    consecutive5xxErrors: num(od.consecutive5xxErrors),
    interval: str(od.interval),
    baseEjectionTime: str(od.baseEjectionTime),
    maxEjectionPercent: num(od.maxEjectionPercent),
  };
  if (Object.values(v).some((x) => x === undefined)) return null;
  return { name: dr.name, host: str(dr.spec.host) ?? "", ...(v as Omit<CircuitBreakerModel, "name" | "host">) };
}

// ----------------------------------------------------------------------------------------- mTLS

export interface MtlsModel {
  name: string;
  /** Empty: the whole namespace. */
  selector: Record<string, string>;
  mode: "STRICT" | "PERMISSIVE" | "DISABLE";
}

export function mtlsToObjects(m: MtlsModel, existing?: WizardObject | null): { pa: WizardObject } {
  const spec = clone(existing?.spec ?? {});
  delete spec.selector;
  if (Object.keys(m.selector).length) spec.selector = { matchLabels: { ...m.selector } };
  spec.mtls = { ...obj(spec.mtls), mode: m.mode };
  return { pa: make("PeerAuthentication", m.name, spec, existing) };
}

export function mtlsFromObjects(pa: WizardObject | null): MtlsModel | null {
  if (!pa) return null;
  const mode = str(obj(pa.spec.mtls).mode);
  if (mode !== "STRICT" && mode !== "PERMISSIVE" && mode !== "DISABLE") return null;
  return { name: pa.name, selector: { ...(obj(obj(pa.spec.selector).matchLabels) as Record<string, string>) }, mode };
}

// ------------------------------------------------------------------------------------------ JWT

export interface JwtModel {
  name: string;
  selector: Record<string, string>;
  issuer: string;
  jwksUri: string;
  /** Audiences the token must carry; empty = any. */
  audiences: string[];
}

export function jwtProblems(m: JwtModel): Record<string, string> {
  const p: Record<string, string> = {};
  if (!m.issuer.trim()) p.issuer = "required";
  if (!/^https:\/\/\S+$/.test(m.jwksUri)) p.jwksUri = "an https:// URL";
  return p;
}

/** RequestAuthentication validating the issuer's tokens, and an AuthorizationPolicy allowing only requests carrying one. */
export function jwtToObjects(m: JwtModel, existing: { ra?: WizardObject | null; ap?: WizardObject | null } = {}): { ra: WizardObject; ap: WizardObject } {
  const selector = Object.keys(m.selector).length ? { selector: { matchLabels: { ...m.selector } } } : {};
  const ra: Spec = { ...selector, jwtRules: [{ issuer: m.issuer, jwksUri: m.jwksUri, ...(m.audiences.length ? { audiences: [...m.audiences] } : {}) }] };
  const ap: Spec = { ...selector, action: "ALLOW", rules: [{ from: [{ source: { requestPrincipals: [`${m.issuer}/*`] } }] }] };
  return { ra: make("RequestAuthentication", m.name, ra, existing.ra), ap: make("AuthorizationPolicy", `${m.name}-require-jwt`, ap, existing.ap) };
}

export function jwtFromObjects(ra: WizardObject | null, ap: WizardObject | null): JwtModel | null {
  if (!ra) return null;
  const rules = arr(ra.spec.jwtRules).map(obj);
  if (rules.length !== 1) return null;
  const r = rules[0]!;
  const issuer = str(r.issuer);
  const jwksUri = str(r.jwksUri);
  if (!issuer || !jwksUri) return null;
  if (ap && canonical(ap.spec.rules) !== canonical([{ from: [{ source: { requestPrincipals: [`${issuer}/*`] } }] }])) return null;
  return { name: ra.name, selector: { ...(obj(obj(ra.spec.selector).matchLabels) as Record<string, string>) }, issuer, jwksUri, audiences: arr(r.audiences).filter((a): a is string => typeof a === "string") };
}

// ------------------------------------------------------------------------------ allow / deny

export interface AuthzRule {
  namespaces: string[];
  principals: string[];
  methods: string[];
  paths: string[];
}

export interface AuthzModel {
  name: string;
  selector: Record<string, string>;
  action: "ALLOW" | "DENY";
  rules: AuthzRule[];
}

export function authzToObjects(m: AuthzModel, existing?: WizardObject | null): { ap: WizardObject } {
  const spec: Spec = {};
  if (Object.keys(m.selector).length) spec.selector = { matchLabels: { ...m.selector } };
  spec.action = m.action;
  spec.rules = m.rules.map((r) => {
    const rule: Spec = {};
    const source: Spec = {};
    if (r.namespaces.length) source.namespaces = [...r.namespaces];
    if (r.principals.length) source.principals = [...r.principals];
    if (Object.keys(source).length) rule.from = [{ source }];
    const op: Spec = {};
    if (r.methods.length) op.methods = [...r.methods];
    if (r.paths.length) op.paths = [...r.paths];
    if (Object.keys(op).length) rule.to = [{ operation: op }];
    return rule;
  });
  return { ap: make("AuthorizationPolicy", m.name, spec, existing) };
}

export function authzFromObjects(ap: WizardObject | null): AuthzModel | null {
  if (!ap) return null;
  const action = str(ap.spec.action) ?? "ALLOW";
  if (action !== "ALLOW" && action !== "DENY") return null;
  const known = new Set(["selector", "action", "rules"]);
  if (Object.keys(ap.spec).some((k) => !known.has(k))) return null;
  const strings = (v: unknown) => arr(v).filter((x): x is string => typeof x === "string");
  const rules: AuthzRule[] = [];
  for (const raw of arr(ap.spec.rules).map(obj)) {
    const from = arr(raw.from).map(obj);
    const to = arr(raw.to).map(obj);
    if (from.length > 1 || to.length > 1 || Object.keys(raw).some((k) => k !== "from" && k !== "to")) return null;
    const source = obj(from[0]?.source);
    const op = obj(to[0]?.operation);
    if (Object.keys(source).some((k) => k !== "namespaces" && k !== "principals") || Object.keys(op).some((k) => k !== "methods" && k !== "paths")) return null;
    rules.push({ namespaces: strings(source.namespaces), principals: strings(source.principals), methods: strings(op.methods), paths: strings(op.paths) });
  }
  const model: AuthzModel = { name: ap.name, selector: { ...(obj(obj(ap.spec.selector).matchLabels) as Record<string, string>) }, action, rules };
  // Only what the wizard would write reopens in it.
  return canonical(authzToObjects(model, ap).ap.spec) === canonical(ap.spec) ? model : null;
}

export const WIZARDS = ["traffic-shift", "canary", "resilience", "fault", "circuit-breaker", "mtls", "jwt", "authz"] as const;
export type WizardId = (typeof WIZARDS)[number];
