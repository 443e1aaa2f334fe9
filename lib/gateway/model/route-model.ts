/**
 * The HTTPRoute editor model and the two pure functions between it and a Gateway API
 * `HTTPRoute` object (gateway.networking.k8s.io/v1). `routeToObject` writes every field the
 * CRD would default (match type, backend group/kind, weight, parent group/kind), so the API
 * server stores exactly what was sent and `routeFromObject` reopens it unchanged. Fields the
 * editor does not know (a rule's retry or sessionPersistence, filters such as RequestMirror or
 * ExtensionRef) travel through `extra` / `{ type: "Other" }` untouched. No server code: the
 * editor form imports this module.
 */
import { z } from "zod";

export const PATH_TYPES = ["Exact", "PathPrefix", "RegularExpression"] as const;
export const VALUE_MATCH_TYPES = ["Exact", "RegularExpression"] as const;
export const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

export type PathType = (typeof PATH_TYPES)[number];
export type ValueMatchType = (typeof VALUE_MATCH_TYPES)[number];
export type Method = (typeof METHODS)[number];

export interface NameValue {
  name: string;
  value: string;
}

export interface ValueMatch extends NameValue {
  type: ValueMatchType;
}

export interface MatchModel {
  path?: { type: PathType; value: string };
  headers: ValueMatch[];
  queryParams: ValueMatch[];
  method?: Method;
}

export interface HeaderModifier {
  set: NameValue[];
  add: NameValue[];
  remove: string[];
}

export interface PathModifier {
  type: "ReplaceFullPath" | "ReplacePrefixMatch";
  value: string;
}

export type FilterModel =
  | ({ type: "RequestHeaderModifier" } & HeaderModifier)
  | ({ type: "ResponseHeaderModifier" } & HeaderModifier)
  | { type: "RequestRedirect"; scheme?: "http" | "https"; hostname?: string; path?: PathModifier; port?: number; statusCode?: 301 | 302 }
  | { type: "URLRewrite"; hostname?: string; path?: PathModifier }
  /** A filter the form does not edit, kept as it was. */
  | { type: "Other"; raw: Record<string, unknown> };

export interface BackendModel {
  /** "" is the core group (a Kubernetes Service). */
  group: string;
  kind: string;
  name: string;
  namespace?: string;
  port?: number;
  weight: number;
}

export interface RuleModel {
  name?: string;
  matches: MatchModel[];
  filters: FilterModel[];
  backends: BackendModel[];
  timeouts?: { request?: string; backendRequest?: string };
  /** Rule fields the form does not edit (retry, sessionPersistence, …), kept as they were. */
  extra?: Record<string, unknown>;
}

export interface ParentModel {
  name: string;
  namespace?: string;
  sectionName?: string;
  port?: number;
}

export interface RouteModel {
  name: string;
  namespace: string;
  parents: ParentModel[];
  hostnames: string[];
  rules: RuleModel[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const GW_GROUP = "gateway.networking.k8s.io";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
function omitUndefined<T extends Obj>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ------------------------------------------------------------------------------- object → model

function nameValues(v: unknown): NameValue[] {
  return arr(v).filter(isObj).map((h) => ({ name: str(h.name) ?? "", value: str(h.value) ?? "" }));
}

function valueMatches(v: unknown): ValueMatch[] {
  return arr(v)
    .filter(isObj)
    .map((h) => ({ type: (str(h.type) as ValueMatchType | undefined) ?? "Exact", name: str(h.name) ?? "", value: str(h.value) ?? "" }));
}

function headerModifier(v: unknown): HeaderModifier {
  const o = isObj(v) ? v : {};
  return { set: nameValues(o.set), add: nameValues(o.add), remove: arr(o.remove).filter((x): x is string => typeof x === "string") };
}

function pathModifier(v: unknown): PathModifier | undefined {
  if (!isObj(v)) return undefined;
  const type = str(v.type);
  if (type === "ReplaceFullPath") return { type, value: str(v.replaceFullPath) ?? "" };
  if (type === "ReplacePrefixMatch") return { type, value: str(v.replacePrefixMatch) ?? "" };
  return undefined;
}

function filterFromObject(f: Obj): FilterModel {
  switch (f.type) {
    case "RequestHeaderModifier":
      return { type: "RequestHeaderModifier", ...headerModifier(f.requestHeaderModifier) };
    case "ResponseHeaderModifier":
      return { type: "ResponseHeaderModifier", ...headerModifier(f.responseHeaderModifier) };
    case "RequestRedirect": {
      const r = isObj(f.requestRedirect) ? f.requestRedirect : {};
      const status = num(r.statusCode);
      return omitUndefined<Extract<FilterModel, { type: "RequestRedirect" }>>({
        type: "RequestRedirect" as const,
        scheme: str(r.scheme) as "http" | "https" | undefined,
        hostname: str(r.hostname),
        path: pathModifier(r.path),
        port: num(r.port),
        statusCode: status === 301 || status === 302 ? (status as 301 | 302) : undefined,
      });
    }
    case "URLRewrite": {
      const r = isObj(f.urlRewrite) ? f.urlRewrite : {};
      return omitUndefined({ type: "URLRewrite" as const, hostname: str(r.hostname), path: pathModifier(r.path) });
    }
    default:
      return { type: "Other", raw: f };
  }
}

function matchFromObject(m: Obj): MatchModel {
  const path = isObj(m.path) ? { type: (str(m.path.type) as PathType | undefined) ?? "PathPrefix", value: str(m.path.value) ?? "/" } : undefined;
  return omitUndefined({
    path,
    headers: valueMatches(m.headers),
    queryParams: valueMatches(m.queryParams),
    method: str(m.method) as Method | undefined,
  });
}

export function backendFromObject(b: Obj): BackendModel {
  return omitUndefined({
    group: str(b.group) ?? "",
    kind: str(b.kind) ?? "Service",
    name: str(b.name) ?? "",
    namespace: str(b.namespace),
    port: num(b.port),
    weight: num(b.weight) ?? 1,
  });
}

const RULE_KEYS = new Set(["name", "matches", "filters", "backendRefs", "timeouts"]);

function ruleFromObject(r: Obj): RuleModel {
  const extraEntries = Object.entries(r).filter(([k]) => !RULE_KEYS.has(k));
  const t = isObj(r.timeouts) ? r.timeouts : undefined;
  return omitUndefined({
    name: str(r.name),
    matches: arr(r.matches).filter(isObj).map(matchFromObject),
    filters: arr(r.filters).filter(isObj).map(filterFromObject),
    backends: arr(r.backendRefs).filter(isObj).map(backendFromObject),
    timeouts: t ? omitUndefined({ request: str(t.request), backendRequest: str(t.backendRequest) }) : undefined,
    extra: extraEntries.length ? Object.fromEntries(extraEntries) : undefined,
  });
}

/** An HTTPRoute object (as read from the API server) as the editor model. */
export function routeFromObject(obj: { metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Obj }): RouteModel {
  const spec = obj.spec ?? {};
  return omitUndefined({
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? "default",
    parents: arr(spec.parentRefs)
      .filter(isObj)
      .map((p) => omitUndefined({ name: str(p.name) ?? "", namespace: str(p.namespace), sectionName: str(p.sectionName), port: num(p.port) })),
    hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === "string"),
    rules: arr(spec.rules).filter(isObj).map(ruleFromObject),
    labels: obj.metadata.labels,
    annotations: obj.metadata.annotations,
  });
}

// ------------------------------------------------------------------------------- model → object

function headerModifierToObject(m: HeaderModifier): Obj {
  return omitUndefined({
    set: m.set.length ? m.set.map((h) => ({ name: h.name, value: h.value })) : undefined,
    add: m.add.length ? m.add.map((h) => ({ name: h.name, value: h.value })) : undefined,
    remove: m.remove.length ? [...m.remove] : undefined,
  });
}

function pathModifierToObject(p: PathModifier): Obj {
  return p.type === "ReplaceFullPath" ? { type: p.type, replaceFullPath: p.value } : { type: p.type, replacePrefixMatch: p.value };
}

function filterToObject(f: FilterModel): Obj {
  switch (f.type) {
    case "RequestHeaderModifier":
      return { type: f.type, requestHeaderModifier: headerModifierToObject(f) };
    case "ResponseHeaderModifier":
      return { type: f.type, responseHeaderModifier: headerModifierToObject(f) };
    case "RequestRedirect":
      return {
        type: f.type,
        requestRedirect: omitUndefined({ scheme: f.scheme, hostname: f.hostname, path: f.path ? pathModifierToObject(f.path) : undefined, port: f.port, statusCode: f.statusCode }),
      };
    case "URLRewrite":
      return { type: f.type, urlRewrite: omitUndefined({ hostname: f.hostname, path: f.path ? pathModifierToObject(f.path) : undefined }) };
    case "Other":
      return f.raw;
  }
}

function matchToObject(m: MatchModel): Obj {
  return omitUndefined({
    path: m.path ? { type: m.path.type, value: m.path.value } : undefined,
    headers: m.headers.length ? m.headers.map((h) => ({ type: h.type, name: h.name, value: h.value })) : undefined,
    queryParams: m.queryParams.length ? m.queryParams.map((h) => ({ type: h.type, name: h.name, value: h.value })) : undefined,
    method: m.method,
  });
}

export function backendToObject(b: BackendModel): Obj {
  return omitUndefined({ group: b.group, kind: b.kind, name: b.name, namespace: b.namespace, port: b.port, weight: b.weight });
}

function ruleToObject(r: RuleModel): Obj {
  const timeouts = r.timeouts ? omitUndefined({ request: r.timeouts.request, backendRequest: r.timeouts.backendRequest }) : undefined;
  return omitUndefined({
    ...(r.extra ?? {}),
    name: r.name,
    matches: r.matches.length ? r.matches.map(matchToObject) : undefined,
    filters: r.filters.length ? r.filters.map(filterToObject) : undefined,
    backendRefs: r.backends.length ? r.backends.map(backendToObject) : undefined,
    timeouts: timeouts && Object.keys(timeouts).length ? timeouts : undefined,
  });
}

export interface HttpRouteObject {
  apiVersion: string;
  kind: "HTTPRoute";
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  spec: Obj;
}

/** The model as an HTTPRoute object, every CRD default spelled out (see the header comment). */
export function routeToObject(m: RouteModel, resourceVersion?: string): HttpRouteObject {
  return {
    apiVersion: `${GW_GROUP}/v1`,
    kind: "HTTPRoute",
    metadata: omitUndefined({ name: m.name, namespace: m.namespace, labels: m.labels, annotations: m.annotations, resourceVersion }),
    spec: omitUndefined({
      parentRefs: m.parents.map((p) => omitUndefined({ group: GW_GROUP, kind: "Gateway", name: p.name, namespace: p.namespace, sectionName: p.sectionName, port: p.port })),
      hostnames: m.hostnames.length ? [...m.hostnames] : undefined,
      rules: m.rules.map(ruleToObject),
    }),
  };
}

/** A new route as the editor starts it. */
export function emptyRoute(namespace = "default"): RouteModel {
  return {
    name: "",
    namespace,
    parents: [{ name: "" }],
    hostnames: [],
    rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" }, headers: [], queryParams: [] }], filters: [], backends: [{ group: "", kind: "Service", name: "", port: 80, weight: 100 }] }],
  };
}

// ------------------------------------------------------------------------------------ form input

const Hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a lower-case DNS name, optionally starting with *.");
const HeaderName = z.string().min(1).max(256).regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, "must be an HTTP header name");
const Duration = z.string().regex(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/, "must be a duration such as 10s or 500ms");
const NameValueInput = z.object({ name: HeaderName, value: z.string().max(4096) }).strict();
const ValueMatchInput = NameValueInput.extend({ type: z.enum(VALUE_MATCH_TYPES) }).strict();
const PathModifierInput = z.object({ type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch"]), value: z.string().min(1).max(1024).startsWith("/") }).strict();
const HeaderModifierInput = { set: z.array(NameValueInput).max(16), add: z.array(NameValueInput).max(16), remove: z.array(HeaderName).max(16) };
const K8sName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a lower-case RFC 1123 name");
const Namespace = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name");

export const FilterInput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("RequestHeaderModifier"), ...HeaderModifierInput }).strict(),
  z.object({ type: z.literal("ResponseHeaderModifier"), ...HeaderModifierInput }).strict(),
  z
    .object({
      type: z.literal("RequestRedirect"),
      scheme: z.enum(["http", "https"]).optional(),
      hostname: Hostname.optional(),
      path: PathModifierInput.optional(),
      port: z.number().int().min(1).max(65_535).optional(),
      statusCode: z.union([z.literal(301), z.literal(302)]).optional(),
    })
    .strict(),
  z.object({ type: z.literal("URLRewrite"), hostname: Hostname.optional(), path: PathModifierInput.optional() }).strict(),
  z.object({ type: z.literal("Other"), raw: z.record(z.string(), z.unknown()) }).strict(),
]);

export const BackendInput = z
  .object({
    group: z.string().max(253),
    kind: z.string().min(1).max(63),
    // Registry hosts (`svc.GROUP.ns.nacos`) are not RFC 1123 names; the CRD only bounds the length.
    name: z.string().min(1).max(253),
    namespace: Namespace.optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    weight: z.number().int().min(0).max(1_000_000),
  })
  .strict();

export const RuleInput = z
  .object({
    name: K8sName.optional(),
    matches: z
      .array(
        z
          .object({
            path: z.object({ type: z.enum(PATH_TYPES), value: z.string().min(1).max(1024) }).strict().optional(),
            headers: z.array(ValueMatchInput).max(16),
            queryParams: z.array(ValueMatchInput).max(16),
            method: z.enum(METHODS).optional(),
          })
          .strict()
          .superRefine((m, ctx) => {
            if (m.path && m.path.type !== "RegularExpression" && !m.path.value.startsWith("/")) ctx.addIssue({ code: "custom", path: ["path", "value"], message: "must start with /" });
          }),
      )
      .max(64),
    filters: z.array(FilterInput).max(16),
    backends: z.array(BackendInput).max(16),
    timeouts: z.object({ request: Duration.optional(), backendRequest: Duration.optional() }).strict().optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const RouteInput = z
  .object({
    name: K8sName,
    namespace: Namespace,
    parents: z.array(z.object({ name: K8sName, namespace: Namespace.optional(), sectionName: K8sName.optional(), port: z.number().int().min(1).max(65_535).optional() }).strict()).min(1).max(32),
    hostnames: z.array(Hostname).max(16),
    rules: z.array(RuleInput).min(1).max(16),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type RouteInput = z.infer<typeof RouteInput>;
