import "server-only";
/**
 * The one typed HTTP client for Nacos 3 (v3 admin API, auth on). Built from a connection record,
 * never from request parameters. Every identifier is checked before it enters a URL, every
 * response is checked with zod, and every failure is an UpstreamError naming Nacos and the
 * environment. Writes are sent once; the only re-send is after the auth filter refused an
 * expired token, which Nacos does before the request reaches a handler.
 */
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { z } from "zod";

const NacosSubscriberPage = z.object({
  totalCount: z.number(),
  pageItems: z.array(
    z.looseObject({ addrStr: z.string().nullish(), ip: z.string().nullish(), port: z.number().nullish(), agent: z.string().nullish(), app: z.string().nullish() }),
  ),
});

export interface NacosSubscriber {
  address: string;
  agent: string | null;
  app: string | null;
}
import { AppError, UpstreamError } from "@/lib/errors";
import { isTimeoutError, networkCode, upstreamTimeout, upstreamUnavailable } from "@/lib/upstream/errors";
import { zodToAppError } from "@/lib/zod-error";
import { logger } from "@/lib/logger";
import { observeUpstream } from "@/lib/metrics/registry";
import { checkLiteralHost, guardedLookup, nonPublicAddressCause, type ConnectOptions, type GuardTarget } from "@/lib/net/guarded-lookup";
import {
  ConfigKey,
  CreateNamespaceInput,
  DeregisterInstanceInput,
  GetHistoryInput,
  InstanceKey,
  ListConfigsInput,
  ListHistoryInput,
  ListServicesInput,
  NacosBetaConfigDetail,
  NacosConfigDetail,
  NacosConfigListItem,
  NacosConnection,
  NacosErrorBody,
  NacosGrayRule,
  NacosHistoryDetail,
  NacosHistoryItem,
  NacosInstance,
  NacosListenerStatus,
  NacosLoginResponse,
  NacosNamespace,
  NacosPage,
  NacosResult,
  NacosServerState,
  NacosServiceListItem,
  PublishConfigInput,
  RegisterInstanceInput,
  ServiceKey,
  UpdateInstanceInput,
  type NacosBetaConfig,
  type NacosConfig,
  type NacosConfigSummary,
  type NacosHistoryEntry,
  type NacosHistoryRecord,
  type NacosNamespaceInfo,
  type NacosPageOf,
  type NacosPingResult,
  type NacosService,
  type NacosServiceInstance,
} from "./schemas";

export type {
  NacosBetaConfig,
  NacosConfig,
  NacosConfigSummary,
  NacosHistoryEntry,
  NacosHistoryRecord,
  NacosNamespaceInfo,
  NacosPageOf,
  NacosPingResult,
  NacosService,
  NacosServiceInstance,
} from "./schemas";
export type {
  ConfigKey,
  CreateNamespaceInput,
  DeregisterInstanceInput,
  GetHistoryInput,
  InstanceKey,
  ListConfigsInput,
  ListHistoryInput,
  ListServicesInput,
  NacosConnection,
  PublishConfigInput,
  RegisterInstanceInput,
  ServiceKey,
  UpdateInstanceInput,
} from "./schemas";

const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a kept-alive connection may sit idle (undici's default, which fetch used). */
const IDLE_SOCKET_MS = 4_000;
/** Refresh the token after this share of its lifetime, so a call never races its expiry. */
const TOKEN_REFRESH_SHARE = 0.8;
/** Nacos' error codes (com.alibaba.nacos.api.model.v2.ErrorCode) the client acts on. */
const NACOS_CODE = {
  PARAMETER_VALIDATE_ERROR: 20002,
  RESOURCE_NOT_FOUND: 20004,
  RESOURCE_CONFLICT: 20005,
  SERVICE_NOT_EXIST: 21008,
  NAMESPACE_ALREADY_EXIST: 22002,
  SERVER_ERROR: 30000,
  ACCESS_DENIED: 10001,
} as const;

/** Lowercase hex MD5 of the UTF-8 bytes: what Nacos stores as a config's md5. */
export function md5Hex(content: string): string {
  return crypto.createHash("md5").update(content, "utf8").digest("hex");
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface Request {
  /** What the console was doing, for the server log ("read config", "publish config"). */
  op: string;
  method: Method;
  path: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

interface Answer {
  op: string;
  method: Method;
  path: string;
  status: number;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
  headers: Headers;
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  return headers;
}

interface CachedToken {
  token: string;
  refreshAt: number;
  username: string | null;
  globalAdmin: boolean | null;
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodToAppError(r.error);
  return r.data;
}

function nacosCode(a: Answer): number | undefined {
  const b = NacosErrorBody.safeParse(a.json);
  return b.success && "code" in b.data ? b.data.code : undefined;
}

/** Nacos' own words about a failure, shortened; for the server log only. */
function nacosDetail(a: Answer): string {
  const b = NacosErrorBody.safeParse(a.json);
  let s: string;
  if (!b.success) s = a.text;
  else if ("code" in b.data) {
    const data = typeof b.data.data === "string" ? b.data.data : b.data.data === undefined ? "" : JSON.stringify(b.data.data);
    s = `code ${b.data.code}: ${b.data.message ?? ""}${data ? ` (${data})` : ""}`;
  } else s = `${b.data.error ?? ""}: ${b.data.message ?? ""}`;
  s = s.replace(/\s+/g, " ").trim();
  return s.length > 500 ? `${s.slice(0, 500)}…` : s || "(empty body)";
}

/** A handler said "not found" (envelope body); a bare 404 means the endpoint or base URL is wrong. */
/** The part of a service's detail we read: its clusters. */
const NacosServiceDetail = z.object({ clusterMap: z.record(z.string(), z.unknown()).nullish() }).passthrough();

function isNacosNotFound(a: Answer): boolean {
  return a.status === 404 && nacosCode(a) !== undefined;
}

/** The auth filter answers with Spring's error page ("Code: 401, Message: token invalid!."). */
function isTokenRejection(a: Answer): boolean {
  if (a.status !== 401 && a.status !== 403) return false;
  const b = NacosErrorBody.safeParse(a.json);
  if (!b.success) return true;
  if ("code" in b.data) return false; // a handler's answer (e.g. 10001 access denied), not the filter
  return /code: 401|token/i.test(b.data.message ?? "");
}

/**
 * Nacos 3.1's pagesAvailable is floor(total / size) + 1: one page too many whenever the total
 * is an exact multiple of the page size (10,000 services at 50 → 201, the last one empty).
 * The page count is computed here instead.
 */
function pageOf<I, O>(p: { totalCount: number; pageNumber: number; pageItems: I[] }, pageSize: number, map: (i: I) => O): NacosPageOf<O> {
  return { total: p.totalCount, page: p.pageNumber, pages: Math.max(1, Math.ceil(p.totalCount / pageSize)), items: p.pageItems.map(map) };
}

function toConfig(d: NacosConfigDetail): NacosConfig {
  return {
    dataId: d.dataId,
    group: d.groupName,
    namespace: d.namespaceId,
    content: d.content,
    md5: d.md5 || md5Hex(d.content),
    type: d.type || null,
    description: d.desc ?? null,
    tags: d.configTags ?? null,
    createdAt: d.createTime || null,
    modifiedAt: d.modifyTime || null,
    createdBy: d.createUser || null,
    createdFromIp: d.createIp || null,
  };
}

function toHistoryEntry(h: NacosHistoryItem): NacosHistoryEntry {
  return {
    id: h.id,
    dataId: h.dataId,
    group: h.groupName,
    namespace: h.namespaceId,
    opType: h.opType,
    publishType: h.publishType ?? "formal",
    sourceIp: h.srcIp || null,
    sourceUser: h.srcUser || null,
    modifiedAt: h.modifyTime || null,
  };
}

function toInstance(i: NacosInstance): NacosServiceInstance {
  const at = i.serviceName.indexOf("@@");
  return {
    ip: i.ip,
    port: i.port,
    weight: i.weight,
    healthy: i.healthy,
    enabled: i.enabled,
    ephemeral: i.ephemeral,
    clusterName: i.clusterName,
    serviceName: at >= 0 ? i.serviceName.slice(at + 2) : i.serviceName,
    group: at >= 0 ? i.serviceName.slice(0, at) : "DEFAULT_GROUP",
    metadata: i.metadata ?? {},
  };
}

/**
 * A Nacos client for one environment. Secrets live in private fields so that neither
 * JSON.stringify nor util.inspect of a client can show them.
 */
export class NacosClient {
  readonly environment: string;
  readonly baseUrl: string;
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  readonly #timeoutMs: number;
  /** Kept-alive connections, one pool per client: a socket opened unchecked is never reused by a guarded client. */
  readonly #agent: http.Agent;
  readonly #guard: GuardTarget | undefined;
  readonly #lookup: LookupFunction | undefined;
  #token: CachedToken | undefined;
  #login: Promise<CachedToken> | undefined;

  constructor(connection: NacosConnection, options: ConnectOptions = {}) {
    const conn = parseInput(NacosConnection, connection);
    const url = new URL(conn.baseUrl);
    if (url.username || url.password || url.search || url.hash) {
      throw new AppError("VALIDATION", "Nacos baseUrl must be a plain http(s) URL without credentials, query or fragment", {
        fields: [{ field: "baseUrl", message: "must be a plain http(s) URL without credentials, query or fragment" }],
      });
    }
    this.environment = conn.environment;
    this.baseUrl = url.href.replace(/\/+$/, "");
    this.#username = conn.username;
    this.#password = conn.password;
    // A given token is used until Nacos refuses it; then the client signs in, if it has credentials.
    if (conn.accessToken) this.#token = { token: conn.accessToken, refreshAt: Infinity, username: null, globalAdmin: null };
    this.#timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Node's fetch takes no `lookup`, so the client speaks node:http(s): every new connection
    // goes to the address the guard checked (docs/security.md). Idle sockets close after 4 s,
    // as they did under fetch, well before a server drops them mid-request.
    const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    this.#agent = url.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.#guard = options.guardAddresses ? { system: "nacos", environment: conn.environment } : undefined;
    this.#lookup = this.#guard && guardedLookup(this.#guard);
  }

  // -------------------------------------------------------------------------------------------
  // Configs

  /** The formal (non-beta) config, or null when Nacos has none. */
  async getConfig(key: ConfigKey): Promise<NacosConfig | null> {
    const k = parseInput(ConfigKey, key);
    const a = await this.#call({ op: "read config", method: "GET", path: "/v3/admin/cs/config", query: configQuery(k) });
    if (isNacosNotFound(a)) return null;
    return toConfig(this.#data(a, NacosConfigDetail));
  }

  /**
   * Publishes a config (formal, or beta to `betaIps`) and returns the md5 of the new content.
   * With `casMd5` Nacos refuses the write when the stored md5 differs (→ CONFLICT). Nacos would
   * also accept a CAS publish to a config that no longer exists and create it; the client
   * refuses that too, so a config deleted since it was loaded is not silently brought back —
   * unless the caller has just read the config itself (`existenceChecked`, e.g. under the
   * console's per-config lock), which saves that read.
   */
  async publishConfig(input: PublishConfigInput, opts: { existenceChecked?: boolean } = {}): Promise<string> {
    const p = parseInput(PublishConfigInput, input);
    const headers: Record<string, string> = {};
    // casMd5 and betaIps are read from headers only; as form fields Nacos ignores them.
    if (p.casMd5) headers.casMd5 = p.casMd5;
    if (p.betaIps) headers.betaIps = p.betaIps.join(",");
    if (p.casMd5 && !p.betaIps && !opts.existenceChecked) {
      const current = await this.getConfig(p);
      if (!current) {
        throw new UpstreamError("CONFLICT", "nacos", `CAS publish of ${p.group}/${p.dataId} refused: the config no longer exists`, {
          environment: this.environment,
          details: { currentMd5: null },
        });
      }
    }
    const a = await this.#call({
      op: p.betaIps ? "publish beta config" : "publish config",
      method: "POST",
      path: "/v3/admin/cs/config",
      form: { dataId: p.dataId, groupName: p.group, namespaceId: p.namespace, content: p.content, type: p.type },
      headers,
    });
    const ok = this.#data(a, z.boolean());
    if (!ok) throw this.#rejected(a, "Nacos answered false");
    return md5Hex(p.content);
  }

  /** Deletes the formal config; deleting a missing config succeeds. */
  async deleteConfig(key: ConfigKey): Promise<void> {
    const k = parseInput(ConfigKey, key);
    const a = await this.#call({ op: "delete config", method: "DELETE", path: "/v3/admin/cs/config", query: configQuery(k) });
    if (!this.#data(a, z.boolean())) throw this.#rejected(a, "Nacos answered false");
  }

  /** The beta (gray) version and the IPs it is served to, or null when there is no beta. */
  async getBetaConfig(key: ConfigKey): Promise<NacosBetaConfig | null> {
    const k = parseInput(ConfigKey, key);
    const a = await this.#call({ op: "read beta config", method: "GET", path: "/v3/admin/cs/config/beta", query: configQuery(k) });
    if (isNacosNotFound(a)) return null;
    const d = this.#data(a, NacosBetaConfigDetail);
    let betaIps: string[] = [];
    if (d.grayRule) {
      let rule: unknown;
      try {
        rule = JSON.parse(d.grayRule);
      } catch (e) {
        throw this.#rejected(a, "grayRule is not JSON", e);
      }
      const r = NacosGrayRule.safeParse(rule);
      if (!r.success) throw this.#rejected(a, `unexpected grayRule: ${r.error.message}`);
      betaIps = r.data.expr.split(",").map((s) => s.trim()).filter(Boolean);
    }
    return { ...toConfig(d), betaIps };
  }

  /** Stops the beta; true when a beta was stopped, false when there was none. */
  async stopBeta(key: ConfigKey): Promise<boolean> {
    const k = parseInput(ConfigKey, key);
    const a = await this.#call({ op: "stop beta", method: "DELETE", path: "/v3/admin/cs/config/beta", query: configQuery(k) });
    // Without a beta Nacos answers HTTP 200 {"code":30000,"message":"remove beta data error","data":false}.
    if (a.status === 200 && nacosCode(a) === NACOS_CODE.SERVER_ERROR && (a.json as { data?: unknown }).data === false) return false;
    return this.#data(a, z.boolean());
  }

  /** One page of configs; `search: "blur"` takes `*` wildcards in dataId and group. */
  async listConfigs(input: ListConfigsInput = {}): Promise<NacosPageOf<NacosConfigSummary>> {
    const p = parseInput(ListConfigsInput, input);
    const a = await this.#call({
      op: "list configs",
      method: "GET",
      path: "/v3/admin/cs/config/list",
      query: {
        search: p.search,
        dataId: p.dataId,
        groupName: p.group,
        namespaceId: p.namespace,
        pageNo: String(p.page),
        pageSize: String(p.pageSize),
        ...(p.type ? { type: p.type } : {}),
      },
    });
    return pageOf(this.#data(a, NacosPage(NacosConfigListItem)), p.pageSize, (c) => ({
      dataId: c.dataId,
      group: c.groupName,
      namespace: c.namespaceId,
      md5: c.md5 || null,
      type: c.type || null,
    }));
  }

  /**
   * The clients listening to a config (Nacos SDKs, gRPC) and the md5 each holds, aggregated
   * over the cluster: whether an instance runs the gray or the formal content. Keyed by the IP
   * the client reports (the Java SDK: its local IP, or -Dcom.alibaba.nacos.client.local.ip).
   */
  async listConfigListeners(key: ConfigKey): Promise<Array<{ ip: string; md5: string }>> {
    const k = parseInput(ConfigKey, key);
    const a = await this.#call({ op: "list config listeners", method: "GET", path: "/v3/admin/cs/config/listener", query: { ...configQuery(k), aggregation: "true" } });
    const d = this.#data(a, NacosListenerStatus);
    return Object.entries(d.listenersStatus ?? {})
      .map(([ip, md5]) => ({ ip, md5 }))
      .sort((x, y) => x.ip.localeCompare(y.ip));
  }

  /** One page of a config's history, newest first (formal and gray changes). */
  async listHistory(input: ListHistoryInput): Promise<NacosPageOf<NacosHistoryEntry>> {
    const p = parseInput(ListHistoryInput, input);
    const a = await this.#call({
      op: "list config history",
      method: "GET",
      path: "/v3/admin/cs/history/list",
      query: { ...configQuery(p), pageNo: String(p.page), pageSize: String(p.pageSize) },
    });
    return pageOf(this.#data(a, NacosPage(NacosHistoryItem)), p.pageSize, toHistoryEntry);
  }

  /**
   * One history row with its content: for an update or delete the content BEFORE that change.
   * Null when the id does not exist or belongs to another config.
   */
  async getHistory(input: GetHistoryInput): Promise<NacosHistoryRecord | null> {
    const p = parseInput(GetHistoryInput, input);
    const a = await this.#call({
      op: "read config history",
      method: "GET",
      path: "/v3/admin/cs/history",
      query: { ...configQuery(p), nid: p.id },
    });
    const code = nacosCode(a);
    // Unknown id: 400 code 20002 ("Source must not be null"); another config's id: 403 code 10001.
    if (isNacosNotFound(a) || (a.status === 400 && code === NACOS_CODE.PARAMETER_VALIDATE_ERROR) || (a.status === 403 && code === NACOS_CODE.ACCESS_DENIED)) {
      return null;
    }
    const h = this.#data(a, NacosHistoryDetail);
    return { ...toHistoryEntry(h), content: h.content, md5: h.md5 || null, grayName: h.grayName || null };
  }

  // -------------------------------------------------------------------------------------------
  // Namespaces

  async listNamespaces(): Promise<NacosNamespaceInfo[]> {
    const a = await this.#call({ op: "list namespaces", method: "GET", path: "/v3/admin/core/namespace/list" });
    return this.#data(a, z.array(NacosNamespace)).map((n) => ({
      id: n.namespace,
      name: n.namespaceShowName,
      description: n.namespaceDesc ?? null,
      quota: n.quota,
      configCount: n.configCount,
      type: n.type,
    }));
  }

  /** Creates a namespace; an existing id → CONFLICT. */
  async createNamespace(input: CreateNamespaceInput): Promise<void> {
    const p = parseInput(CreateNamespaceInput, input);
    const a = await this.#call({
      op: "create namespace",
      method: "POST",
      path: "/v3/admin/core/namespace",
      form: { namespaceId: p.id, namespaceName: p.name, namespaceDesc: p.description },
    });
    if (nacosCode(a) === NACOS_CODE.NAMESPACE_ALREADY_EXIST) {
      throw new UpstreamError("CONFLICT", "nacos", `create namespace ${p.id}: ${nacosDetail(a)}`, {
        environment: this.environment,
        userMessage: `A namespace with id "${p.id}" already exists in Nacos in environment ${this.environment}.`,
      });
    }
    if (!this.#data(a, z.boolean())) throw this.#rejected(a, "Nacos answered false");
  }

  // -------------------------------------------------------------------------------------------
  // Naming

  /** One page of services, empty ones included; `group` and `serviceName` match substrings. */
  async listServices(input: ListServicesInput = {}): Promise<NacosPageOf<NacosService>> {
    const p = parseInput(ListServicesInput, input);
    const query: Record<string, string> = {
      namespaceId: p.namespace,
      pageNo: String(p.page),
      pageSize: String(p.pageSize),
      ignoreEmptyService: "false",
    };
    // Nacos 3.1 filters on groupNameParam/serviceNameParam (substring); it ignores groupName/serviceName here.
    if (p.group) query.groupNameParam = p.group;
    if (p.serviceName) query.serviceNameParam = p.serviceName;
    const a = await this.#call({ op: "list services", method: "GET", path: "/v3/admin/ns/service/list", query });
    return pageOf(this.#data(a, NacosPage(NacosServiceListItem)), p.pageSize, (s) => ({
      name: s.name,
      group: s.groupName,
      clusterCount: s.clusterCount,
      instanceCount: s.ipCount,
      healthyInstanceCount: s.healthyInstanceCount,
    }));
  }

  /**
   * The cluster names of a service (DEFAULT first), from its detail; NOT_FOUND when the service
   * does not exist. Nacos lists instances one cluster at a time (DEFAULT when none is named).
   */
  async listClusters(key: ServiceKey): Promise<string[]> {
    const k = parseInput(ServiceKey, key);
    const a = await this.#call({
      op: "get service",
      method: "GET",
      path: "/v3/admin/ns/service",
      query: { serviceName: k.serviceName, groupName: k.group, namespaceId: k.namespace },
    });
    const d = this.#data(a, NacosServiceDetail);
    return Object.keys(d.clusterMap ?? {}).sort((x, y) => (x === "DEFAULT" ? -1 : y === "DEFAULT" ? 1 : x.localeCompare(y)));
  }

  /**
   * Every instance of a service in every cluster, healthy or not; NOT_FOUND when the service
   * does not exist. Nacos's instance list shows one cluster (DEFAULT unless named), and a new
   * cluster reaches the service's detail a moment after its first registration, as counts do.
   */
  async listInstances(key: ServiceKey): Promise<NacosServiceInstance[]> {
    const k = parseInput(ServiceKey, key);
    const [defaults, clusters] = await Promise.all([
      this.#listClusterInstances(k, "DEFAULT"),
      this.listClusters(k).catch((e: unknown) => {
        if (e instanceof UpstreamError && e.code === "NOT_FOUND") return []; // the DEFAULT read says so
        throw e;
      }),
    ]);
    const others = await Promise.all(clusters.filter((c) => c !== "DEFAULT").map((c) => this.#listClusterInstances(k, c)));
    return [...defaults, ...others.flat()];
  }

  async #listClusterInstances(k: { serviceName: string; group: string; namespace: string }, clusterName: string): Promise<NacosServiceInstance[]> {
    const a = await this.#call({
      op: "list instances",
      method: "GET",
      path: "/v3/admin/ns/instance/list",
      query: { serviceName: k.serviceName, groupName: k.group, namespaceId: k.namespace, clusterName },
    });
    // A cluster whose last instance left answers 404 "cluster X is not found!".
    if (isNacosNotFound(a) && !/service .* is not found/i.test(nacosDetail(a))) return [];
    return this.#data(a, z.array(NacosInstance)).map(toInstance);
  }

  /** Clients subscribed to a service (apps that discover it), a page at a time. */
  async listSubscribers(key: ServiceKey, page = 1, pageSize = 100): Promise<{ total: number; items: NacosSubscriber[] }> {
    const k = parseInput(ServiceKey, key);
    const a = await this.#call({
      op: "list subscribers",
      method: "GET",
      path: "/v3/admin/ns/service/subscribers",
      query: { serviceName: k.serviceName, groupName: k.group, namespaceId: k.namespace, pageNo: String(page), pageSize: String(Math.min(500, Math.max(1, pageSize))) },
    });
    if (isNacosNotFound(a)) return { total: 0, items: [] };
    const d = this.#data(a, NacosSubscriberPage);
    return {
      total: d.totalCount,
      items: d.pageItems.map((x) => ({ address: x.addrStr ?? (x.ip ? `${x.ip}:${x.port ?? ""}` : "?"), agent: x.agent ?? null, app: x.app ?? null })),
    };
  }

  /** Registers an instance; persistent ones (ephemeral=false) are health-checked by Nacos over TCP. */
  async registerInstance(input: RegisterInstanceInput): Promise<void> {
    const p = parseInput(RegisterInstanceInput, input);
    const a = await this.#call({
      op: "register instance",
      method: "POST",
      path: "/v3/admin/ns/instance",
      form: {
        ...instanceForm(p),
        weight: String(p.weight),
        enabled: String(p.enabled),
        healthy: String(p.healthy),
        ephemeral: String(p.ephemeral),
        metadata: JSON.stringify(p.metadata),
      },
    });
    this.#data(a, z.string());
  }

  /**
   * Changes weight, enabled and/or metadata of one instance. Nacos' "partial" update resets an
   * omitted weight to 1 and enabled to true, so the client reads the instance first and sends
   * both. `metadata` replaces what the console set before; keys set at registration stay
   * (Nacos overlays this metadata on the registered one). Nacos applies the change
   * asynchronously (~0.5 s until reads show it); two updates inside that window can lose one,
   * so the console's instance changes send both values read under a lock and wait until Nacos
   * shows the write (lib/registry/instance-change.ts).
   */
  async updateInstance(input: UpdateInstanceInput): Promise<void> {
    const p = parseInput(UpdateInstanceInput, input);
    let { weight, enabled } = p;
    if (weight === undefined || enabled === undefined) {
      const current = await this.#getInstance(p);
      weight ??= current.weight;
      enabled ??= current.enabled;
    }
    const form: Record<string, string> = { ...instanceForm(p), cluster: p.clusterName, weight: String(weight), enabled: String(enabled) };
    if (p.metadata) form.metadata = JSON.stringify(p.metadata);
    const a = await this.#call({ op: "update instance", method: "PUT", path: "/v3/admin/ns/instance/partial", form });
    if (isNacosNotFound(a)) throw this.#notFound(a, `instance ${p.ip}:${p.port} of ${p.group}/${p.serviceName}`);
    this.#data(a, z.string());
  }

  /**
   * One instance as Nacos reads it now (weight, enabled, metadata with the console's overlay),
   * or null when the service, cluster or instance does not exist. A single read: what
   * lib/registry/instance-change.ts compares with an operator's expectation and polls to confirm
   * a write.
   */
  async getInstance(key: InstanceKey): Promise<NacosServiceInstance | null> {
    const p = parseInput(InstanceKey, key);
    const a = await this.#call({ op: "read instance", method: "GET", path: "/v3/admin/ns/instance", query: { ...instanceForm(p) } });
    if (isNacosNotFound(a)) return null;
    return toInstance(this.#data(a, NacosInstance));
  }

  /** Deregisters an instance; `ephemeral` must match how it was registered. */
  async deregisterInstance(input: DeregisterInstanceInput): Promise<void> {
    const p = parseInput(DeregisterInstanceInput, input);
    const a = await this.#call({
      op: "deregister instance",
      method: "DELETE",
      path: "/v3/admin/ns/instance",
      query: { ...instanceForm(p), ephemeral: String(p.ephemeral) },
    });
    this.#data(a, z.string());
  }

  // -------------------------------------------------------------------------------------------
  // Connection test

  /** "Test connection": server state, a fresh login (when configured) and the namespace list. */
  async ping(): Promise<NacosPingResult> {
    const started = performance.now();
    const s = await this.#call({ op: "read server state", method: "GET", path: "/v3/admin/core/state" }, { auth: false });
    const state = this.#data(s, NacosServerState);
    let who: CachedToken | undefined;
    if (this.#username) {
      this.#token = undefined;
      who = await this.#currentToken();
    }
    const namespaces = await this.listNamespaces();
    return {
      environment: this.environment,
      version: state.version ?? null,
      authEnabled: state.auth_enabled == null ? null : state.auth_enabled === "true",
      mode: state.startup_mode ?? null,
      username: who?.username ?? null,
      globalAdmin: who?.globalAdmin ?? null,
      namespaces: namespaces.length,
      latencyMs: Math.round(performance.now() - started),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing

  async #getInstance(p: z.output<typeof InstanceKey>): Promise<NacosInstance> {
    const a = await this.#call({
      op: "read instance",
      method: "GET",
      path: "/v3/admin/ns/instance",
      query: { ...instanceForm(p) },
    });
    if (isNacosNotFound(a)) throw this.#notFound(a, `instance ${p.ip}:${p.port} of ${p.group}/${p.serviceName}`);
    return this.#data(a, NacosInstance);
  }

  /** Sends with the current token; after an expired-token refusal logs in again and re-sends once. */
  async #call(req: Request, opts: { auth?: boolean } = {}): Promise<Answer> {
    const useAuth = opts.auth ?? true;
    let token = useAuth ? await this.#currentToken() : undefined;
    let a = await this.#send(req, token?.token);
    if (useAuth && token && this.#username && isTokenRejection(a)) {
      // Safe for writes too: the auth filter refused before the request reached a handler.
      logger.warn("nacos token refused; signing in again", { environment: this.environment, op: req.op, status: a.status });
      if (this.#token === token) this.#token = undefined;
      token = await this.#currentToken();
      a = await this.#send(req, token?.token);
    }
    if (isTokenRejection(a)) {
      throw new UpstreamError("UPSTREAM_REJECTED", "nacos", `${req.op}: Nacos refused the console's token (HTTP ${a.status}: ${nacosDetail(a)})`, {
        environment: this.environment,
        userMessage: `Nacos in environment ${this.environment} refused the console's credentials.`,
      });
    }
    return a;
  }

  async #currentToken(): Promise<CachedToken | undefined> {
    if (this.#token && Date.now() < this.#token.refreshAt) return this.#token;
    if (!this.#username) return undefined;
    // Concurrent calls share one login.
    this.#login ??= this.#signIn().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async #signIn(): Promise<CachedToken> {
    const started = Date.now();
    const a = await this.#send(
      {
        op: "sign in",
        method: "POST",
        path: "/v3/auth/user/login",
        form: { username: this.#username ?? "", password: this.#password ?? "" },
      },
      undefined,
    );
    if (a.status === 404 || (a.status >= 300 && a.status < 400)) throw this.#failure(a);
    // A wrong password is HTTP 500 on the server port, an unknown user 403: both mean "refused".
    if (a.status < 200 || a.status >= 300) {
      throw new UpstreamError("UPSTREAM_REJECTED", "nacos", `Nacos refused the console's credentials (user ${this.#username}, HTTP ${a.status})`, {
        environment: this.environment,
        userMessage: `Nacos in environment ${this.environment} refused the console's credentials.`,
      });
    }
    const r = NacosLoginResponse.safeParse(a.json);
    if (!r.success) throw this.#rejected(a, `unexpected login answer: ${r.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const token: CachedToken = {
      token: r.data.accessToken,
      refreshAt: started + r.data.tokenTtl * 1000 * TOKEN_REFRESH_SHARE,
      username: r.data.username ?? this.#username ?? null,
      globalAdmin: r.data.globalAdmin ?? null,
    };
    this.#token = token;
    return token;
  }

  async #send(req: Request, token: string | undefined): Promise<Answer> {
    const url = new URL(this.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...req.headers, Accept: "application/json" };
    if (token) headers.accessToken = token;
    const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
    if (body !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8";
      headers["Content-Length"] = String(Buffer.byteLength(body));
    }
    const started = performance.now();
    try {
      if (this.#guard) checkLiteralHost(url.hostname, this.#guard);
      const res = await this.#transmit(url, req.method, headers, body);
      const text = res.text;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      logger.debug("nacos call", {
        environment: this.environment,
        op: req.op,
        method: req.method,
        path: req.path,
        status: res.status,
        ms: Math.round(performance.now() - started),
      });
      observeUpstream("nacos", this.environment, started, res.status < 500);
      return { op: req.op, method: req.method, path: req.path, status: res.status, json, text, headers: res.headers };
    } catch (e) {
      observeUpstream("nacos", this.environment, started, false);
      throw this.#networkError(req, e);
    }
  }

  /** One HTTP exchange; never follows redirects. The deadline covers connecting and the whole body. */
  #transmit(url: URL, method: Method, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; headers: Headers; text: string }> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    return new Promise((resolve, reject) => {
      const fail = (e: unknown) => reject(signal.aborted ? signal.reason : e);
      const options: https.RequestOptions = { method, headers, agent: this.#agent, signal, ...(this.#lookup ? { lookup: this.#lookup } : {}) };
      const req = (url.protocol === "https:" ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("close", () => {
          if (!res.complete) fail(Object.assign(new Error("connection closed mid-response"), { code: "ECONNRESET" }));
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: toHeaders(res.headers), text: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", fail);
      req.end(body);
    });
  }

  #networkError(req: Request, e: unknown): UpstreamError {
    const refused = nonPublicAddressCause(e);
    if (refused) return refused;
    const host = new URL(this.baseUrl).host;
    const where = { system: "nacos" as const, environment: this.environment };
    if (isTimeoutError(e)) return upstreamTimeout(where, `${req.op}: Nacos at ${host}`, this.#timeoutMs, { cause: e });
    const name = e instanceof Error ? e.name : "";
    return upstreamUnavailable(where, `${req.op}: cannot reach Nacos at ${host} (${networkCode(e) ?? (name || "network error")})`, { cause: e });
  }

  /** The `data` of a successful envelope, checked against `schema`; any other answer throws. */
  #data<S extends z.ZodType>(a: Answer, schema: S): z.output<S> {
    if (a.status < 200 || a.status >= 300 || nacosCode(a) !== 0) throw this.#failure(a);
    const envelope = NacosResult(z.unknown()).safeParse(a.json);
    const r = envelope.success ? schema.safeParse(envelope.data.data) : envelope;
    if (!r.success) {
      throw this.#rejected(a, `unexpected answer shape: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    return r.data as z.output<S>;
  }

  #failure(a: Answer): UpstreamError {
    const code = nacosCode(a);
    if (a.status >= 300 && a.status < 400) {
      return this.#rejected(a, `unexpected redirect to ${a.headers.get("location") ?? "(no location)"}`);
    }
    if (code === NACOS_CODE.RESOURCE_CONFLICT) {
      return new UpstreamError("CONFLICT", "nacos", `${a.op}: ${nacosDetail(a)}`, { environment: this.environment });
    }
    if (isNacosNotFound(a) || code === NACOS_CODE.RESOURCE_NOT_FOUND || code === NACOS_CODE.SERVICE_NOT_EXIST) return this.#notFound(a, a.path);
    if (a.status === 404) return this.#rejected(a, "no such endpoint (is the base URL right, with its context path?)");
    return this.#rejected(a);
  }

  #notFound(a: Answer, what: string): UpstreamError {
    return new UpstreamError("NOT_FOUND", "nacos", `${a.op}: ${what} not found (HTTP ${a.status}: ${nacosDetail(a)})`, {
      environment: this.environment,
    });
  }

  /** Nacos' message goes to the server log (`message`); the user sees the plain default. */
  #rejected(a: Answer, why?: string, cause?: unknown): UpstreamError {
    return new UpstreamError(
      "UPSTREAM_REJECTED",
      "nacos",
      `${a.op}: Nacos answered ${a.method} ${a.path} with HTTP ${a.status}: ${why ?? nacosDetail(a)}`,
      { environment: this.environment, cause },
    );
  }
}

function configQuery(k: z.output<typeof ConfigKey>): Record<string, string> {
  return { dataId: k.dataId, groupName: k.group, namespaceId: k.namespace };
}

function instanceForm(p: z.output<typeof InstanceKey>): Record<string, string> {
  return {
    serviceName: p.serviceName,
    groupName: p.group,
    namespaceId: p.namespace,
    ip: p.ip,
    port: String(p.port),
    clusterName: p.clusterName,
  };
}

/** A client for one Nacos environment, from its connection record (never from request input). */
export function createNacosClient(connection: NacosConnection, options: ConnectOptions = {}): NacosClient {
  return new NacosClient(connection, options);
}
