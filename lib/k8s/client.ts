import "server-only";
/**
 * The one Kubernetes API client: typed kinds (resources.ts), names validated before they reach
 * a URL, responses checked with zod (schemas.ts), and every failure an AppError tagged with the
 * environment, namespace, kind and name. Speaks HTTPS with node:https (client certificate
 * and/or bearer token); no retries, and writes never share a kept-alive socket, so a write is
 * sent exactly once or not at all.
 */
import https from "node:https";
import net from "node:net";
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { AppError, UpstreamError, isAppError, type FieldIssue } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { observeUpstream } from "@/lib/metrics/registry";
import { zodToAppError } from "@/lib/zod-error";
import { checkLiteralHost, guardedLookup, nonPublicAddressCause, type ConnectOptions, type GuardTarget } from "@/lib/net/guarded-lookup";
import { RESOURCES, RESOURCE_KINDS, apiVersionOf, checkName, checkNamespace, resourcePath, resourceType, type ResourceKind } from "./resources";
import {
  APIResourceList,
  CustomResourceDefinition,
  DryRunKubeObject,
  K8sConnection,
  K8sStatus,
  K8sVersion,
  KubeList,
  KubeObject,
  KubeObjectInput,
} from "./schemas";

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface ListOptions {
  labelSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WriteOptions {
  /** Server-side dry run (`?dryRun=All`): admission and validation run, nothing is stored. */
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** Precondition: delete only if the object still has this resourceVersion. */
  resourceVersion?: string;
}

export interface KubeObjectList {
  items: KubeObject[];
  resourceVersion?: string;
  /** Pass back as `continue` for the next page; absent on the last page. */
  continue?: string;
  remainingItemCount?: number;
}

export type DeleteResult = { state: "deleted" } | { state: "finalizing"; object: KubeObject };

/** Facts for the "test connection" button. */
export interface PingResult {
  environment: string;
  apiUrl: string;
  version: K8sVersion;
  ready: boolean;
  /** The failing checks when not ready (text from /readyz). */
  readyDetail?: string;
  /** Which of the kinds the console manages this cluster serves (CRDs installed). */
  servedKinds: Record<ResourceKind, boolean>;
  latencyMs: number;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface Target {
  kind?: ResourceKind;
  namespace?: string | null;
  name?: string;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface SendOptions {
  query?: URLSearchParams;
  body?: unknown;
  target: Target;
}

/** Network-level failure of one request, before it becomes an UpstreamError. */
class TransportFailure extends Error {
  constructor(
    readonly kind: "timeout" | "network" | "tls" | "config",
    readonly code: string | undefined,
    /** True when the request was fully written before it failed: a write may have been applied. */
    readonly sent: boolean,
    cause: unknown,
    /** A kept-alive socket the server had already closed: the request never reached it. */
    readonly staleSocket = false,
  ) {
    super(`${kind}${code ? ` (${code})` : ""}`, { cause });
  }
}

const TLS_VERIFY_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export class K8sClient {
  readonly environment: string;
  readonly apiUrl: string;
  private readonly base: URL;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly tls: https.RequestOptions;
  private readonly bearerToken: string | undefined;
  /** Reads reuse connections; writes get a fresh one each (see header comment). */
  private readonly readAgent: https.Agent;
  /** Set when every connection must go to a checked, public address (docs/security.md §30). */
  private readonly addressGuard: GuardTarget | undefined;

  constructor(connection: K8sConnection, options: ConnectOptions = {}) {
    const parsed = K8sConnection.safeParse(connection);
    if (!parsed.success) {
      const err = zodToAppError(parsed.error);
      throw new AppError("VALIDATION", `invalid Kubernetes connection: ${err.message}`, {
        fields: err.fields,
        details: { system: "kubernetes", environment: connection?.environment },
        userMessage: "The Kubernetes connection settings of this environment are not valid.",
      });
    }
    const c = parsed.data;
    this.environment = c.environment;
    this.apiUrl = c.apiUrl;
    this.base = new URL(c.apiUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, "");
    this.timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.bearerToken = c.bearerToken;
    const host = this.base.hostname.replace(/^\[(.*)\]$/, "$1");
    this.addressGuard = options.guardAddresses ? { system: "kubernetes", environment: c.environment } : undefined;
    this.tls = {
      host,
      port: this.base.port ? Number(this.base.port) : 443,
      ca: c.caPem,
      cert: c.clientCertPem,
      key: c.clientKeyPem,
      rejectUnauthorized: true,
      // SNI takes host names only (RFC 6066); for an IP the certificate's IP SAN is checked.
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      // The socket connects to the address the guard checked; TLS still verifies the name.
      ...(this.addressGuard ? { lookup: guardedLookup(this.addressGuard) } : {}),
    };
    this.readAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.readAgent.destroy();
  }

  /** The object, or null when it does not exist. */
  async get(kind: ResourceKind, namespace: string | null, name: string): Promise<KubeObject | null> {
    const target: Target = { kind, namespace, name };
    const path = this.guard(target, () => {
      checkNamespace(kind, namespace);
      return resourcePath(kind, namespace, name);
    });
    const res = await this.send("GET", path, { target });
    if (res.status === 404 && this.isObjectMissing(res, name)) return null;
    if (res.status !== 200) throw await this.statusError("GET", res, target);
    return this.parseJson(res, target, KubeObject, false);
  }

  /** One page of objects. `namespace` undefined lists a namespaced kind across all namespaces. */
  async list(kind: ResourceKind, namespace?: string, options: ListOptions = {}): Promise<KubeObjectList> {
    const target: Target = { kind, namespace };
    const { path, query } = this.guard(target, () => ({ path: resourcePath(kind, namespace), query: listQuery(options) }));
    const res = await this.send("GET", path, { query, target });
    if (res.status !== 200) throw await this.statusError("GET", res, target, { listing: true });
    const list = this.parseJson(res, target, KubeList, false);
    const t = resourceType(kind);
    const items = (list.items ?? []).map((item) =>
      this.validate(target, KubeObject, { apiVersion: apiVersionOf(kind), kind: t.kind, ...item }, false),
    );
    return {
      items,
      resourceVersion: list.metadata.resourceVersion,
      continue: list.metadata.continue || undefined,
      remainingItemCount: list.metadata.remainingItemCount,
    };
  }

  create(kind: ResourceKind, namespace: string | null, obj: KubeObjectInput, options?: { dryRun?: false }): Promise<KubeObject>;
  create(kind: ResourceKind, namespace: string | null, obj: KubeObjectInput, options: { dryRun: true }): Promise<DryRunKubeObject>;
  create(kind: ResourceKind, namespace: string | null, obj: KubeObjectInput, options?: WriteOptions): Promise<KubeObject | DryRunKubeObject>;
  /** Creates the object (POST). The name comes from `obj.metadata.name`; a resourceVersion is refused. */
  async create(kind: ResourceKind, namespace: string | null, obj: KubeObjectInput, options: WriteOptions = {}): Promise<KubeObject | DryRunKubeObject> {
    const target: Target = { kind, namespace, name: nameOf(obj) };
    const { path, body } = this.guard(target, () => {
      checkNamespace(kind, namespace);
      const body = writeBody(kind, namespace, obj);
      checkName(kind, namespace, body.metadata.name);
      if (body.metadata.resourceVersion !== undefined) {
        throw fieldError("metadata.resourceVersion", "must not be set on an object to be created");
      }
      return { path: resourcePath(kind, namespace), body };
    });
    const res = await this.send("POST", path, { query: writeQuery(options), body, target });
    if (res.status !== 200 && res.status !== 201 && res.status !== 202) throw await this.statusError("POST", res, target);
    return this.parseJson(res, target, options.dryRun ? DryRunKubeObject : KubeObject, true);
  }

  replace(kind: ResourceKind, namespace: string | null, name: string, obj: KubeObjectInput, options?: { dryRun?: false }): Promise<KubeObject>;
  replace(kind: ResourceKind, namespace: string | null, name: string, obj: KubeObjectInput, options: { dryRun: true }): Promise<DryRunKubeObject>;
  replace(kind: ResourceKind, namespace: string | null, name: string, obj: KubeObjectInput, options?: WriteOptions): Promise<KubeObject | DryRunKubeObject>;
  /**
   * Replaces the object (PUT). `obj.metadata.resourceVersion` is required: a write always says
   * which version it was based on, so a concurrent change is a CONFLICT rather than lost.
   */
  async replace(
    kind: ResourceKind,
    namespace: string | null,
    name: string,
    obj: KubeObjectInput,
    options: WriteOptions = {},
  ): Promise<KubeObject | DryRunKubeObject> {
    const target: Target = { kind, namespace, name };
    const { path, body } = this.guard(target, () => {
      checkNamespace(kind, namespace);
      const path = resourcePath(kind, namespace, name);
      const body = writeBody(kind, namespace, obj);
      if (body.metadata.name !== undefined && body.metadata.name !== name) {
        throw fieldError("metadata.name", `must match the name being replaced (${name})`);
      }
      const rv = body.metadata.resourceVersion;
      if (typeof rv !== "string" || rv === "") {
        throw fieldError("metadata.resourceVersion", "is required: reload the object and apply your change to it");
      }
      return { path, body: { ...body, metadata: { ...body.metadata, name } } };
    });
    const res = await this.send("PUT", path, { query: writeQuery(options), body, target });
    if (res.status !== 200 && res.status !== 201) throw await this.statusError("PUT", res, target);
    return this.parseJson(res, target, options.dryRun ? DryRunKubeObject : KubeObject, true);
  }

  /** Deletes the object; with `resourceVersion`, only if it is still that version (else CONFLICT). */
  async delete(kind: ResourceKind, namespace: string | null, name: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    const target: Target = { kind, namespace, name };
    const path = this.guard(target, () => {
      checkNamespace(kind, namespace);
      if (options.resourceVersion !== undefined && (typeof options.resourceVersion !== "string" || options.resourceVersion === "")) {
        throw fieldError("metadata.resourceVersion", "must be a non-empty string when given");
      }
      return resourcePath(kind, namespace, name);
    });
    // The API server reads DeleteOptions from the body when there is one and then ignores the
    // query string: `?dryRun=All` beside a body would delete for real. dryRun goes in the body.
    const body = {
      apiVersion: "v1",
      kind: "DeleteOptions",
      ...(options.resourceVersion ? { preconditions: { resourceVersion: options.resourceVersion } } : {}),
      ...(options.dryRun ? { dryRun: ["All"] } : {}),
    };
    const res = await this.send("DELETE", path, { body, target });
    if (res.status !== 200 && res.status !== 202) throw await this.statusError("DELETE", res, target);
    const json = safeJson(res.text);
    if (K8sStatus.safeParse(json).success) return { state: "deleted" };
    const object = this.parseJson(res, target, KubeObject, true);
    // With finalizers the object lingers, marked for deletion, until its controllers let go.
    return object.metadata.deletionTimestamp && !options.dryRun ? { state: "finalizing", object } : { state: "deleted" };
  }

  /** Server version, readiness and which managed kinds are served: facts for "test connection". */
  async ping(): Promise<PingResult> {
    const t0 = performance.now();
    const target: Target = {};
    const versionRes = await this.send("GET", "/version", { target });
    if (versionRes.status !== 200) throw await this.statusError("GET", versionRes, target);
    const version = this.parseJson(versionRes, target, K8sVersion, false);

    // Plain /readyz waits for informers a CRD-only or aggregated server may never sync.
    const readyRes = await this.send("GET", "/readyz", { query: new URLSearchParams({ exclude: "informer-sync" }), target });
    const ready = readyRes.status === 200 && readyRes.text.trim() === "ok";

    const groupVersions = [...new Set(RESOURCE_KINDS.map((k) => apiVersionOf(k)))];
    const served = new Map<string, Set<string>>();
    await Promise.all(
      groupVersions.map(async (gv) => {
        const res = await this.send("GET", `/apis/${gv}`, { target });
        if (res.status === 404) return served.set(gv, new Set());
        if (res.status !== 200) throw await this.statusError("GET", res, target);
        served.set(gv, new Set(this.parseJson(res, target, APIResourceList, false).resources.map((r) => r.name)));
      }),
    );
    const servedKinds = Object.fromEntries(
      RESOURCE_KINDS.map((k) => [k, served.get(apiVersionOf(k))?.has(RESOURCES[k].plural) ?? false]),
    ) as Record<ResourceKind, boolean>;

    return {
      environment: this.environment,
      apiUrl: this.apiUrl,
      version,
      ready,
      ...(ready ? {} : { readyDetail: oneLine(readyRes.text, 2000) || `HTTP ${readyRes.status}` }),
      servedKinds,
      latencyMs: Math.round(performance.now() - t0),
    };
  }

  /**
   * The OpenAPI v3 schema the cluster validates `kind` with (from its CustomResourceDefinition,
   * for the version the console speaks), or null when the CRD is not installed or carries none.
   */
  async crdSchema(kind: ResourceKind): Promise<Record<string, unknown> | null> {
    const t = resourceType(kind);
    const target: Target = { kind };
    const res = await this.send("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${t.plural}.${t.group}`, { target });
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.statusError("GET", res, target);
    const crd = this.parseJson(res, target, CustomResourceDefinition, false);
    const version = crd.spec.versions.find((v) => v.name === t.version);
    return (version?.schema?.openAPIV3Schema as Record<string, unknown> | undefined) ?? null;
  }

  /**
   * Kubernetes Services (namespace and name) across all namespaces, or null when the cluster does
   * not serve the core API (a CRD-only API server).
   */
  async listServiceNames(): Promise<Array<{ namespace: string; name: string }> | null> {
    const target: Target = {};
    const res = await this.send("GET", "/api/v1/services", { target });
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.statusError("GET", res, target, { listing: true });
    const list = this.parseJson(res, target, KubeList, false);
    return (list.items ?? []).flatMap((item) => {
      const m = item.metadata as { namespace?: unknown; name?: unknown } | undefined;
      return typeof m?.name === "string" && typeof m.namespace === "string" ? [{ namespace: m.namespace, name: m.name }] : [];
    });
  }

  // ---------------------------------------------------------------------------------- transport

  private async send(method: Method, path: string, options: SendOptions): Promise<RawResponse> {
    const write = method !== "GET";
    const started = performance.now();
    try {
      if (this.addressGuard) checkLiteralHost(this.base.hostname, this.addressGuard);
      let res: RawResponse;
      try {
        res = await this.transmit(method, path, options, write);
      } catch (e) {
        // Only reads use kept-alive sockets, and only a read is sent again.
        if (!(e instanceof TransportFailure && e.staleSocket)) throw e;
        res = await this.transmit(method, path, options, write);
      }
      logger.debug("k8s request", {
        environment: this.environment,
        method,
        path,
        status: res.status,
        ms: Math.round(performance.now() - started),
      });
      observeUpstream("kubernetes", this.environment, started, res.status < 500);
      return res;
    } catch (e) {
      observeUpstream("kubernetes", this.environment, started, false);
      // Refused before any connection opened: nothing was sent.
      const refused = nonPublicAddressCause(e);
      if (refused) throw refused;
      if (e instanceof TransportFailure) throw this.transportError(method, path, e, options.target, write);
      throw e;
    }
  }

  private transmit(method: Method, path: string, options: SendOptions, write: boolean): Promise<RawResponse> {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body), "utf8");
    const query = options.query?.toString();
    const headers: Record<string, string> = {
      Accept: "application/json, */*",
      "User-Agent": "switchyard-console",
    };
    if (payload) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = String(payload.length);
    }
    if (this.bearerToken) headers.Authorization = `Bearer ${this.bearerToken}`;

    return new Promise<RawResponse>((resolve, reject) => {
      let timedOut = false;
      let sent = false;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };

      let req: ReturnType<typeof https.request>;
      try {
        req = https.request({
          ...this.tls,
          method,
          path: `${this.basePath}${path}${query ? `?${query}` : ""}`,
          headers,
          agent: write ? false : this.readAgent,
        });
      } catch (e) {
        // Unusable PEM material fails here, synchronously, before anything is sent.
        reject(new TransportFailure("config", errorCode(e), false, e));
        return;
      }
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy();
      }, this.timeoutMs);

      req.on("finish", () => {
        sent = true;
      });
      req.on("error", (e) => {
        finish(() => {
          const code = errorCode(e);
          const kind = timedOut ? "timeout" : code && TLS_VERIFY_CODES.has(code) ? "tls" : code?.startsWith("ERR_OSSL") ? "config" : "network";
          const stale = !write && !timedOut && req.reusedSocket && code === "ECONNRESET";
          reject(new TransportFailure(kind, code, sent, e, stale));
        });
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(Object.assign(new Error("response too large"), { code: "ERESPONSETOOLARGE" }));
            return;
          }
          chunks.push(chunk);
        });
        const broken = (e: unknown) => finish(() => reject(new TransportFailure(timedOut ? "timeout" : "network", errorCode(e), true, e)));
        res.on("error", broken);
        // A connection cut mid-body may end in "close" with no "error"; "end" always comes first otherwise.
        res.on("close", () => broken(Object.assign(new Error("connection closed mid-response"), { code: "ECONNRESET" })));
        res.on("end", () =>
          finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") })),
        );
      });
      req.end(payload);
    });
  }

  // ---------------------------------------------------------------------------------- errors

  private tags(target: Target): Record<string, unknown> {
    return {
      ...(target.kind ? { kind: target.kind } : {}),
      ...(target.namespace ? { namespace: target.namespace } : {}),
      ...(target.name ? { name: target.name } : {}),
    };
  }

  private where(target: Target): string {
    const t = target.kind ? resourceType(target.kind) : undefined;
    const obj = t ? `${t.kind}${target.name ? ` ${target.name}` : ""}` : "request";
    return `${obj}${target.namespace ? ` in namespace ${target.namespace}` : ""}`;
  }

  /** Runs pre-request checks; their VALIDATION errors get the environment and target attached. */
  private guard<T>(target: Target, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isAppError(e)) {
        throw new AppError(e.code, e.message, {
          cause: e.cause,
          fields: e.fields,
          userMessage: e.userMessage,
          details: { ...e.details, system: "kubernetes", environment: this.environment, ...this.tags(target) },
        });
      }
      throw e;
    }
  }

  private transportError(method: Method, path: string, f: TransportFailure, target: Target, write: boolean): UpstreamError {
    const env = ` in environment ${this.environment}`;
    // A write that reached the wire and then failed may or may not have been applied.
    const unknownOutcome = write && f.sent;
    const caution = unknownOutcome ? " The change may or may not have been applied; reload to check." : "";
    const details = { ...this.tags(target), reason: f.kind, ...(f.code ? { errorCode: f.code } : {}), ...(write ? { outcome: unknownOutcome ? "unknown" : "not-applied" } : {}) };
    const message = `kubernetes ${method} ${path}: ${f.message}`;
    switch (f.kind) {
      case "timeout":
        return new UpstreamError("UPSTREAM_TIMEOUT", "kubernetes", `${message} after ${this.timeoutMs} ms`, {
          environment: this.environment,
          cause: f,
          details,
          userMessage: `Kubernetes${env} did not answer in time.${caution}`,
        });
      case "tls":
        return new UpstreamError("UPSTREAM_UNAVAILABLE", "kubernetes", message, {
          environment: this.environment,
          cause: f,
          details,
          userMessage: `The certificate of the Kubernetes API server${env} could not be verified (${f.code}).`,
        });
      case "config":
        return new UpstreamError("UPSTREAM_UNAVAILABLE", "kubernetes", message, {
          environment: this.environment,
          cause: f,
          details,
          userMessage: `The Kubernetes client certificate or key configured for environment ${this.environment} is not usable.`,
        });
      default:
        return new UpstreamError("UPSTREAM_UNAVAILABLE", "kubernetes", message, {
          environment: this.environment,
          cause: f,
          details,
          userMessage: `Kubernetes${env} is unreachable.${caution}`,
        });
    }
  }

  private isObjectMissing(res: RawResponse, name: string): boolean {
    const status = K8sStatus.safeParse(safeJson(res.text));
    return status.success && status.data.reason === "NotFound" && status.data.details?.name === name;
  }

  /** Maps a non-success HTTP answer to a typed error. */
  private async statusError(method: Method, res: RawResponse, target: Target, opts: { listing?: boolean } = {}): Promise<AppError> {
    const parsed = K8sStatus.safeParse(safeJson(res.text));
    const status = parsed.success ? parsed.data : undefined;
    const upstreamMessage = status?.message ?? (oneLine(res.text, 300) || `HTTP ${res.status}`);
    const where = this.where(target);
    const message = `kubernetes ${method} ${where}: HTTP ${res.status}${status?.reason ? ` ${status.reason}` : ""}: ${upstreamMessage}`;
    const details = { ...this.tags(target), httpStatus: res.status, ...(status?.reason ? { reason: status.reason } : {}) };
    const upstream = (code: ConstructorParameters<typeof UpstreamError>[0], extra: { userMessage?: string; details?: Record<string, unknown>; retryAfterSeconds?: number } = {}) =>
      new UpstreamError(code, "kubernetes", message, {
        environment: this.environment,
        details: { ...details, ...extra.details },
        userMessage: extra.userMessage,
        retryAfterSeconds: extra.retryAfterSeconds,
      });
    const validation = (fields: FieldIssue[], userMessage: string) =>
      new AppError("VALIDATION", message, {
        fields,
        userMessage,
        details: { ...details, system: "kubernetes", environment: this.environment },
      });

    switch (res.status) {
      case 400:
      case 422: {
        const fields = (status?.details?.causes ?? []).map((c) => ({
          field: c.field || "(object)",
          message: cleanCauseMessage(c.message ?? c.reason ?? "is invalid"),
        }));
        // A list has no body: a 400 without causes is about the selector (limit is checked here).
        if (!fields.length && opts.listing) fields.push({ field: "labelSelector", message: upstreamMessage });
        const summary = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join("; ") : upstreamMessage;
        return validation(fields, `Kubernetes rejected the ${where}: ${truncate(summary, 500)}`);
      }
      case 401:
      case 403:
        return upstream("UPSTREAM_REJECTED");
      case 404: {
        const missing = target.name !== undefined && status?.reason === "NotFound" && status.details?.name === target.name;
        if (missing) return upstream("NOT_FOUND", { userMessage: `${where} was not found in Kubernetes in environment ${this.environment}.` });
        // Something else named is missing, e.g. the namespace on a full cluster.
        if (status?.details?.name) return upstream("NOT_FOUND", { userMessage: `Kubernetes in environment ${this.environment}: ${truncate(upstreamMessage, 300)}` });
        const t = target.kind ? resourceType(target.kind) : undefined;
        return upstream("NOT_FOUND", {
          details: { reason: "KindNotServed" },
          userMessage: t
            ? `Kubernetes in environment ${this.environment} does not serve ${t.group}/${t.version} ${t.kind} (is its CRD installed?).`
            : undefined,
        });
      }
      case 409: {
        const exists = status?.reason === "AlreadyExists";
        const current = target.kind && target.name ? await this.currentResourceVersion(target.kind, target.namespace ?? null, target.name) : undefined;
        return upstream("CONFLICT", {
          details: current ? { currentResourceVersion: current } : {},
          userMessage: exists ? `A ${where} already exists in environment ${this.environment}.` : undefined,
        });
      }
      case 410:
        if (opts.listing) {
          return validation([{ field: "continue", message: "the list has expired; start again from the first page" }], "The list changed too much while paging; start again from the first page.");
        }
        return upstream("CONFLICT");
      case 429:
        return upstream("UPSTREAM_UNAVAILABLE", { retryAfterSeconds: retryAfter(res, status) });
      case 504:
        return upstream("UPSTREAM_TIMEOUT", method === "GET" ? {} : { userMessage: `Kubernetes in environment ${this.environment} did not answer in time. The change may or may not have been applied; reload to check.` });
      default:
        return upstream(res.status >= 500 ? "UPSTREAM_UNAVAILABLE" : "UPSTREAM_REJECTED");
    }
  }

  /** After a conflict: what the object's version is now, so the UI can offer a reload. Best effort. */
  private async currentResourceVersion(kind: ResourceKind, namespace: string | null, name: string): Promise<string | undefined> {
    try {
      return (await this.get(kind, namespace, name))?.metadata.resourceVersion;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------------------------- parsing

  private parseJson<S extends z.ZodType>(res: RawResponse, target: Target, schema: S, applied: boolean): z.output<S> {
    return this.validate(target, schema, safeJson(res.text), applied);
  }

  private validate<S extends z.ZodType>(target: Target, schema: S, value: unknown, applied: boolean): z.output<S> {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issues = r.error.issues.map((i) => i.path.map(String).join(".") || "(root)");
    return this.throwInvalidResponse(target, issues, applied);
  }

  private throwInvalidResponse(target: Target, issues: string[], applied: boolean): never {
    throw new UpstreamError("UPSTREAM_UNAVAILABLE", "kubernetes", `kubernetes ${this.where(target)}: unexpected response (${issues.join(", ") || "not JSON"})`, {
      environment: this.environment,
      details: { ...this.tags(target), reason: "InvalidResponse", issues },
      userMessage: `Kubernetes in environment ${this.environment} gave an answer the console does not understand.${applied ? " The change was applied; reload to see it." : ""}`,
    });
  }
}

/** A client for one environment's cluster. */
export function createK8sClient(connection: K8sConnection, options: ConnectOptions = {}): K8sClient {
  return new K8sClient(connection, options);
}

// ------------------------------------------------------------------------------------ helpers

function fieldError(field: string, message: string): AppError {
  return new AppError("VALIDATION", `invalid ${field}: ${message}`, {
    fields: [{ field, message: `${field} ${message}` }],
    userMessage: `${field} ${message}.`,
  });
}

function nameOf(obj: unknown): string | undefined {
  const name = (obj as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  return typeof name === "string" ? name : undefined;
}

/** The body of a create/replace: input checked, apiVersion/kind/namespace agreeing with the URL. */
function writeBody(kind: ResourceKind, namespace: string | null, obj: KubeObjectInput) {
  const parsed = KubeObjectInput.safeParse(obj);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const input = parsed.data;
  const t = resourceType(kind);
  const apiVersion = apiVersionOf(kind);
  if (input.apiVersion !== undefined && input.apiVersion !== apiVersion) throw fieldError("apiVersion", `must be ${apiVersion}`);
  if (input.kind !== undefined && input.kind !== t.kind) throw fieldError("kind", `must be ${t.kind}`);
  const metadata = { ...input.metadata };
  if (t.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
      throw fieldError("metadata.namespace", `must match the namespace of the request (${namespace})`);
    }
    metadata.namespace = namespace ?? undefined;
  } else if (metadata.namespace !== undefined && metadata.namespace !== "") {
    throw fieldError("metadata.namespace", `must be empty: ${kind} is cluster-scoped`);
  }
  return { ...input, apiVersion, kind: t.kind, metadata };
}

function listQuery(options: ListOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (options.labelSelector !== undefined) {
    if (typeof options.labelSelector !== "string" || options.labelSelector.length > 4096) {
      throw fieldError("labelSelector", "must be a label selector of at most 4096 characters");
    }
    if (options.labelSelector) q.set("labelSelector", options.labelSelector);
  }
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 10_000) {
      throw fieldError("limit", "must be a whole number from 1 to 10000");
    }
    q.set("limit", String(options.limit));
  }
  if (options.continue !== undefined) {
    if (typeof options.continue !== "string" || options.continue.length > 8192) throw fieldError("continue", "is not a valid continue token");
    if (options.continue) q.set("continue", options.continue);
  }
  return q;
}

function writeQuery(options: WriteOptions): URLSearchParams | undefined {
  return options.dryRun ? new URLSearchParams({ dryRun: "All" }) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** CEL and schema causes read `Invalid value: "object": <rule message>`; the type name is noise. */
function cleanCauseMessage(message: string): string {
  return message.replace(/^Invalid value: "(object|string|array|integer|number|boolean)": /, "");
}

function retryAfter(res: RawResponse, status: K8sStatus | undefined): number | undefined {
  const header = Number(res.headers["retry-after"]);
  if (Number.isFinite(header) && header > 0) return header;
  return status?.details?.retryAfterSeconds;
}
