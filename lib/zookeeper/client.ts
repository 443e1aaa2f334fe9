/**
 * The one ZooKeeper client (STYLE.md "Clients"): a promise API over node-zookeeper-client with
 * a deadline on every call (connecting included), validated paths, versioned writes only, and
 * errors that name ZooKeeper and the environment.
 *
 * node-zookeeper-client reconnects forever on its own and has no read timeout, so a dead or
 * silent ensemble would otherwise leave a socket (and pending calls) hanging for the life of
 * the process. This wrapper owns the lifecycle: it gives up after one full round of refused
 * hosts or at the deadline, and then tears the session down for real.
 */
import "server-only";
import type { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import * as zk from "node-zookeeper-client";
import { AppError, UpstreamError, type AppErrorOptions } from "@/lib/errors";
import { deadline, upstreamTimeout, upstreamUnavailable } from "@/lib/upstream/errors";
import { logger } from "@/lib/logger";
import { observeUpstream } from "@/lib/metrics/registry";
import { NonPublicAddressError, resolveCheckedAddresses, type ConnectOptions, type GuardTarget } from "@/lib/net/guarded-lookup";

export interface ZookeeperConnection {
  /** The console environment this ensemble belongs to; named in every error. */
  environment: string;
  /** Comma-separated `host:port` list, e.g. "127.0.0.1:22181,10.0.0.2:2181" (no chroot). */
  hosts: string;
  /** Requested session timeout; the server clamps it to [2, 20] × tickTime. Default 15 s. */
  sessionTimeoutMs?: number;
  /** Deadline for each call, connecting included. Default 5 s. */
  timeoutMs?: number;
  /** Every path is resolved under this znode (a client-side chroot); it must exist. */
  root?: string;
}

export interface ZnodeStat {
  version: number;
  /** Version of the child list (bumped on child create/delete). */
  cversion: number;
  /** Epoch milliseconds. */
  mtime: number;
  /** Epoch milliseconds. */
  ctime: number;
  numChildren: number;
  dataLength: number;
  /** Session id (hex) owning an ephemeral node; null for persistent nodes. */
  ephemeralOwner: string | null;
}

export interface ZnodeData {
  data: Buffer;
  stat: ZnodeStat;
}

export type CreateMode = "persistent" | "ephemeral" | "persistent_sequential";

export interface CreateOptions {
  mode: CreateMode;
  /** Create missing ancestors as empty persistent nodes first. */
  createParents?: boolean;
}

export interface ZookeeperClient {
  readonly environment: string;
  /** The node's stat, or null when it does not exist. */
  exists(path: string): Promise<ZnodeStat | null>;
  /** Data and stat, or null when the node does not exist. */
  getData(path: string): Promise<ZnodeData | null>;
  /** Child names (sorted), or null when the node does not exist. */
  getChildren(path: string): Promise<string[] | null>;
  /** Creates the node; returns its path (with the sequence suffix for sequential nodes). */
  create(path: string, data: Buffer | string, options: CreateOptions): Promise<string>;
  /** Writes only if the node is still at `expectedVersion`; otherwise CONFLICT. */
  setData(path: string, data: Buffer | string, expectedVersion: number): Promise<ZnodeStat>;
  /** Deletes only if the node is still at `expectedVersion`; otherwise CONFLICT. */
  remove(path: string, expectedVersion: number): Promise<void>;
  /** Ends the session (ephemeral nodes go with it). Safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_SESSION_TIMEOUT_MS = 15_000;
/** Pause between rounds over the host list; also bounds how long close() waits for a stray reconnect. */
const SPIN_DELAY_MS = 250;
const CLOSE_GRACE_MS = SPIN_DELAY_MS + 250;
/** ZooKeeper's default jute.maxbuffer is just under 1 MiB; the library refuses more. */
const MAX_DATA_BYTES = 1_048_576;

const PATH_RE = /^\/([^/\u0000]+(\/[^/\u0000]+)*)?$/;
// Characters ZooKeeper itself refuses in node names (PathUtils.validatePath).
const FORBIDDEN_PATH_CHARS = /[\u0001-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/;
const HOST_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:\d{1,5}$/;

/** Checks a znode path; throws VALIDATION naming `field`. Exported for route-level checks. */
export function validateZnodePath(path: unknown, field = "path"): string {
  const bad = (message: string): never => {
    throw new AppError("VALIDATION", `invalid znode path: ${message}`, {
      fields: [{ field, message }],
      userMessage: `Invalid ZooKeeper path: ${message}.`,
    });
  };
  if (typeof path !== "string") return bad("must be a string");
  if (path.length > 4096) return bad("is longer than 4096 characters");
  if (!PATH_RE.test(path)) return bad("must start with / and contain no empty segment, trailing / or NUL");
  if (FORBIDDEN_PATH_CHARS.test(path)) return bad("contains a control or reserved character");
  if (path.split("/").some((s) => s === "." || s === "..")) return bad("must not contain . or .. segments");
  return path;
}

function parseHosts(hosts: string): string[] {
  const list = hosts.split(",").map((h) => h.trim());
  const ok = list.length > 0 && list.every((h) => HOST_RE.test(h) && Number(h.slice(h.lastIndexOf(":") + 1)) <= 65535);
  if (!ok) {
    throw new AppError("VALIDATION", `invalid ZooKeeper hosts ${JSON.stringify(hosts)}`, {
      fields: [{ field: "hosts", message: "must be host:port[,host:port…] without a chroot" }],
    });
  }
  return list;
}

// --- node-zookeeper-client internals ----------------------------------------------------
// The public API hides connection attempts and the socket, which we need to (a) notice that
// every host refused and (b) really close a session that never got established. Accessed
// defensively: if a library update moves them, we fall back to the deadline alone.
const CM_DISCONNECTED = 0;
const CM_CONNECTED = 2;
const CM_CLOSED = -2;
interface ConnectionManagerInternals extends EventEmitter {
  state?: number;
  socket?: Socket;
}
function internals(client: zk.Client): ConnectionManagerInternals | undefined {
  const cm = (client as unknown as { connectionManager?: unknown }).connectionManager;
  return cm && typeof (cm as EventEmitter).on === "function" ? (cm as ConnectionManagerInternals) : undefined;
}

const shutDown = new WeakSet<zk.Client>();

/** Closes a session for good, whatever state it is in. Idempotent; never throws, never waits. */
function shutdown(client: zk.Client): void {
  if (shutDown.has(client)) return;
  shutDown.add(client);
  const cm = internals(client);
  // Deferred: when called from a state listener inside the library's socket-close handler,
  // the library has already decided to reconnect and would call connect() right after us,
  // undoing close(). One turn later that retry has started and close() sticks.
  setImmediate(() => {
    try {
      // Queues CloseSession and moves the library to CLOSING, which ends its reconnect loop.
      client.close();
    } catch {
      // close() writes to a socket that may not exist yet; the forced close below covers it.
    }
    // On a silent server CloseSession is never answered, and a connect attempt scheduled
    // before close() may still open a new socket: destroy whatever is open after the grace.
    setTimeout(() => {
      if (cm && cm.state !== CM_CLOSED) cm.socket?.destroy();
    }, CLOSE_GRACE_MS).unref();
  });
}

// --- errors -------------------------------------------------------------------------------
const C = zk.Exception;

function zkCode(e: unknown): number | undefined {
  if (e instanceof zk.Exception) return e.code;
  return undefined;
}

class Ctx {
  constructor(
    readonly environment: string,
    readonly hosts: string,
  ) {}

  unavailable(message: string, options: AppErrorOptions = {}): UpstreamError {
    return upstreamUnavailable({ system: "zookeeper", environment: this.environment }, `zookeeper ${this.hosts}: ${message}`, options);
  }

  timeout(what: string, ms: number): UpstreamError {
    return upstreamTimeout({ system: "zookeeper", environment: this.environment }, `zookeeper ${this.hosts}: ${what}`, ms);
  }

  /** Maps a library exception for an operation on `path`. */
  translate(e: unknown, op: string, path: string, extra: Record<string, unknown> = {}): AppError {
    if (e instanceof AppError) return e;
    const code = zkCode(e);
    const env = this.environment;
    const details = { path, ...extra };
    switch (code) {
      case C.NO_NODE:
        return new UpstreamError("NOT_FOUND", "zookeeper", `${op} ${path}: no such node`, { cause: e, environment: env, details });
      case C.NODE_EXISTS:
        return new UpstreamError("CONFLICT", "zookeeper", `${op} ${path}: node exists`, {
          cause: e,
          environment: env,
          details,
          userMessage: `The node ${path} already exists in ZooKeeper in environment ${env}.`,
        });
      case C.BAD_VERSION:
        return new UpstreamError("CONFLICT", "zookeeper", `${op} ${path}: version is no longer ${String(extra.expectedVersion)}`, {
          cause: e,
          environment: env,
          details,
        });
      case C.NOT_EMPTY:
        return new UpstreamError("CONFLICT", "zookeeper", `${op} ${path}: node has children`, {
          cause: e,
          environment: env,
          details,
          userMessage: `The node ${path} has children; remove them first.`,
        });
      case C.NO_AUTH:
      case C.AUTH_FAILED:
      case C.INVALID_ACL:
      case C.BAD_ARGUMENTS:
      case C.NO_CHILDREN_FOR_EPHEMERALS:
      case C.UNIMPLEMENTED:
        return new UpstreamError("UPSTREAM_REJECTED", "zookeeper", `${op} ${path}: ${String(e)}`, { cause: e, environment: env, details });
      case C.OPERATION_TIMEOUT:
        return new UpstreamError("UPSTREAM_TIMEOUT", "zookeeper", `${op} ${path}: ${String(e)}`, { cause: e, environment: env, details });
      default:
        // CONNECTION_LOSS, SESSION_EXPIRED, SYSTEM_ERROR, marshalling errors, anything else.
        return this.unavailable(`${op} ${path}: ${e instanceof Error || code !== undefined ? String(e) : "failed"}`, { cause: e, details });
    }
  }
}

// --- the client ---------------------------------------------------------------------------

function toBuffer(data: Buffer | string): Buffer {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (!Buffer.isBuffer(buf)) {
    throw new AppError("VALIDATION", "znode data must be a Buffer or string", { fields: [{ field: "data", message: "must be bytes or text" }] });
  }
  if (buf.length > MAX_DATA_BYTES) {
    throw new AppError("VALIDATION", `znode data is ${buf.length} bytes`, {
      fields: [{ field: "data", message: `must be at most ${MAX_DATA_BYTES} bytes` }],
    });
  }
  return buf;
}

function checkVersion(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new AppError("VALIDATION", `invalid expected version ${String(v)}`, {
      fields: [{ field: "expectedVersion", message: "must be the non-negative integer version you read" }],
    });
  }
  return v;
}

function longMs(b: Buffer): number {
  return b.length === 8 ? Number(b.readBigInt64BE(0)) : 0;
}

function toStat(s: zk.Stat): ZnodeStat {
  const owner = s.ephemeralOwner;
  const ownerZero = !owner || owner.every((x) => x === 0);
  return {
    version: s.version,
    cversion: s.cversion,
    mtime: longMs(s.mtime),
    ctime: longMs(s.ctime),
    numChildren: s.numChildren,
    dataLength: s.dataLength,
    ephemeralOwner: ownerZero ? null : owner.toString("hex"),
  };
}

const CREATE_MODES: Record<CreateMode, number> = {
  persistent: zk.CreateMode.PERSISTENT,
  ephemeral: zk.CreateMode.EPHEMERAL,
  persistent_sequential: zk.CreateMode.PERSISTENT_SEQUENTIAL,
};

/**
 * A client for one ensemble. Connects lazily on the first call and reuses the session; a
 * session that expired, was lost or timed out is dropped and the next call opens a new one.
 * Writes are never retried.
 */
export function createZookeeperClient(connection: ZookeeperConnection, options: ConnectOptions = {}): ZookeeperClient {
  const servers = parseHosts(connection.hosts);
  const hosts = servers.join(",");
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sessionTimeoutMs = connection.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !(sessionTimeoutMs > 0)) {
    throw new AppError("VALIDATION", "ZooKeeper timeouts must be positive", { fields: [{ field: "timeoutMs", message: "must be > 0" }] });
  }
  const root = connection.root && connection.root !== "/" ? validateZnodePath(connection.root, "root") : "";
  const ctx = new Ctx(connection.environment, hosts);
  const guard: GuardTarget | undefined = options.guardAddresses ? { system: "zookeeper", environment: connection.environment } : undefined;

  interface Session {
    client: zk.Client;
    /** Rejects (UPSTREAM_UNAVAILABLE) once the session is gone for good; calls race it. */
    lost: Promise<never>;
    /** Ends the session, failing the calls that wait on it with `err`. */
    kill(err: AppError): void;
  }
  let session: Promise<Session> | null = null;
  let current: zk.Client | null = null;
  /** Ends the current session, failing calls that wait on it. */
  let kill: ((err: AppError) => void) | null = null;
  let closed = false;

  const drop = (client: zk.Client | null) => {
    if (!client) return;
    if (current === client) {
      current = null;
      session = null;
    }
    shutdown(client);
  };

  /**
   * The servers a new session may use. With the address guard (docs/security.md §30) every host is
   * resolved now and the session connects to those checked addresses only, reconnects included;
   * IPv4 only, as the library cannot parse an IPv6 address in a connect string. A host that
   * does not resolve is left out (without the guard it would be one refused attempt); one
   * non-public address refuses the whole ensemble.
   */
  async function sessionServers(): Promise<string[]> {
    if (!guard) return servers;
    const resolved = await Promise.all(
      servers.map(async (server) => {
        const i = server.lastIndexOf(":");
        try {
          const addresses = await resolveCheckedAddresses(server.slice(0, i), guard, { family: 4 });
          return addresses.map((a) => `${a.address}:${server.slice(i + 1)}`);
        } catch (e) {
          if (e instanceof NonPublicAddressError) throw e;
          logger.warn("zookeeper host does not resolve", { environment: connection.environment, server, code: (e as NodeJS.ErrnoException).code });
          return [];
        }
      }),
    );
    const list = [...new Set(resolved.flat())];
    if (list.length === 0) throw ctx.unavailable("no host resolves to an IPv4 address");
    return list;
  }

  async function open(): Promise<Session> {
    const targets = await sessionServers();
    if (closed) throw ctx.unavailable("client is closed");
    return connect(targets);
  }

  function connect(targets: string[]): Promise<Session> {
    const client = zk.createClient(targets.join(","), { sessionTimeout: sessionTimeoutMs, spinDelay: SPIN_DELAY_MS, retries: 0 });
    current = client;
    let markLost: (e: AppError) => void = () => undefined;
    const lost = new Promise<never>((_, reject) => {
      markLost = reject;
    });
    lost.catch(() => undefined);
    return new Promise<Session>((resolve, reject) => {
      const cm = internals(client);
      let established = false;
      let settled = false;
      let failedAttempts = 0;
      const finish = (err: AppError | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          cm?.removeListener("state", onManagerState);
          markLost(err);
          drop(client);
          reject(err);
        } else {
          established = true;
          resolve({ client, lost, kill: die });
        }
      };
      const die = (err: AppError) => {
        if (!established) return finish(err);
        cm?.removeListener("state", onManagerState);
        markLost(err);
        drop(client);
      };
      // Every failed connect attempt (refused, reset, closed by a server that is not serving)
      // shows up as the manager falling back to DISCONNECTED. Before the first session: give
      // up after one round over the hosts. After a loss: the loss itself plus one full round
      // of failed reconnects, so a blip (leader election, restart) does not cost the session.
      const onManagerState = (s: number) => {
        if (shutDown.has(client)) return;
        if (s === CM_CONNECTED) failedAttempts = 0;
        if (s !== CM_DISCONNECTED) return;
        failedAttempts++;
        const limit = established ? targets.length + 1 : targets.length;
        if (failedAttempts >= limit) {
          die(ctx.unavailable(`no server of ${targets.length} accepted a session (refused, closed, or not serving)`));
        }
      };
      const timer = setTimeout(() => finish(ctx.timeout("connecting", timeoutMs)), timeoutMs);
      kill = die;
      cm?.on("state", onManagerState);
      client.once("connected", () => finish(null));
      client.once("authenticationFailed", () => die(ctx.unavailable("authentication failed")));
      // The server expired the session (e.g. after a long partition): start afresh next call.
      client.once("expired", () => die(ctx.unavailable("session expired")));
      client.connect();
    });
  }

  async function withSession<T>(what: string, op: (client: zk.Client, done: (err: unknown, value?: T) => void) => void): Promise<T> {
    if (closed) throw ctx.unavailable("client is closed");
    if (!session) {
      const opening = open();
      session = opening;
      // A session that failed before it had a client (refused address, no host resolves) is not kept either.
      opening.catch(() => {
        if (session === opening) session = null;
      });
    }
    const pending = session;
    const due = deadline(timeoutMs, () => ctx.timeout(what, timeoutMs));
    const started = performance.now();
    let s: Session | undefined;
    try {
      s = await Promise.race([pending, due.promise]);
      const client = s.client;
      const value = await Promise.race([
        new Promise<T>((resolve, reject) => {
          try {
            op(client, (err, value) => (err ? reject(err) : resolve(value as T)));
          } catch (e) {
            reject(e);
          }
        }),
        s.lost,
        due.promise,
      ]);
      observeUpstream("zookeeper", connection.environment, started, true);
      return value;
    } catch (e) {
      // A call that timed out or lost its connection leaves the session suspect (the library
      // has no read timeout): start over on the next call. Never retried here: a write may
      // or may not have been applied.
      const code = e instanceof AppError ? e.code : undefined;
      const zc = zkCode(e);
      // An answer (no such node, bad version) is a working ZooKeeper; no session or no answer is not.
      observeUpstream("zookeeper", connection.environment, started, zc !== undefined && zc !== C.CONNECTION_LOSS && zc !== C.SESSION_EXPIRED);
      if (code === "UPSTREAM_TIMEOUT" || zc === C.CONNECTION_LOSS || zc === C.SESSION_EXPIRED) {
        if (s) s.kill(ctx.unavailable(`session abandoned after: ${e instanceof Error ? e.message : String(e)}`));
        else drop(current);
      }
      throw e;
    } finally {
      due.clear();
    }
  }

  const full = (path: string) => {
    validateZnodePath(path);
    if (!root) return path;
    return path === "/" ? root : root + path;
  };
  const relative = (p: string) => (!root ? p : p === root ? "/" : p.startsWith(root + "/") ? p.slice(root.length) : p);

  async function read<T>(what: string, path: string, op: (client: zk.Client, abs: string, done: (err: unknown, value?: T) => void) => void): Promise<T | null> {
    const abs = full(path);
    try {
      return await withSession<T>(`${what} ${path}`, (client, done) => op(client, abs, done));
    } catch (e) {
      if (zkCode(e) === C.NO_NODE) return null;
      throw ctx.translate(e, what, path);
    }
  }

  async function createOne(client: zk.Client, abs: string, data: Buffer | undefined, mode: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const cb = (err: Error | zk.Exception | null, created: string) => (err ? reject(err) : resolve(created));
      if (data) client.create(abs, data, mode, cb);
      else client.create(abs, mode, cb);
    });
  }

  return {
    environment: connection.environment,

    exists(path) {
      return read<ZnodeStat | null>("exists", path, (client, abs, done) =>
        client.exists(abs, (err, stat) => done(err, stat ? toStat(stat) : null)),
      ).then((s) => s ?? null);
    },

    getData(path) {
      return read<ZnodeData>("getData", path, (client, abs, done) =>
        client.getData(abs, (err, data, stat) => done(err, err ? undefined : { data: data ?? Buffer.alloc(0), stat: toStat(stat) })),
      );
    },

    getChildren(path) {
      return read<string[]>("getChildren", path, (client, abs, done) =>
        client.getChildren(abs, (err, children) => done(err, err ? undefined : [...children].sort())),
      );
    },

    async create(path, data, options) {
      const abs = full(path);
      const buf = toBuffer(data);
      const mode = Object.hasOwn(CREATE_MODES, options?.mode) ? CREATE_MODES[options.mode] : undefined;
      if (mode === undefined) {
        throw new AppError("VALIDATION", `invalid create mode ${String(options?.mode)}`, {
          fields: [{ field: "mode", message: "must be persistent, ephemeral or persistent_sequential" }],
        });
      }
      // Ancestors are checked against the root too: createParents never creates above it.
      const parents: string[] = [];
      if (options?.createParents) {
        const segments = path.split("/").filter(Boolean);
        for (let i = 1; i < segments.length; i++) parents.push(full("/" + segments.slice(0, i).join("/")));
      }
      try {
        const created = await withSession<string>(`create ${path}`, (client, done) => {
          void (async () => {
            for (const p of parents) {
              try {
                await createOne(client, p, undefined, zk.CreateMode.PERSISTENT);
              } catch (e) {
                if (zkCode(e) !== C.NODE_EXISTS) throw e;
              }
            }
            return createOne(client, abs, buf.length ? buf : undefined, mode);
          })().then(
            (p) => done(null, p),
            (e) => done(e),
          );
        });
        return relative(created);
      } catch (e) {
        throw ctx.translate(e, "create", path);
      }
    },

    async setData(path, data, expectedVersion) {
      const abs = full(path);
      const buf = toBuffer(data);
      const version = checkVersion(expectedVersion);
      try {
        return await withSession<ZnodeStat>(`setData ${path}`, (client, done) =>
          client.setData(abs, buf, version, (err, stat) => done(err, err ? undefined : toStat(stat))),
        );
      } catch (e) {
        throw ctx.translate(e, "setData", path, { expectedVersion: version });
      }
    },

    async remove(path, expectedVersion) {
      const abs = full(path);
      const version = checkVersion(expectedVersion);
      if (path === "/" || abs === "/zookeeper" || abs.startsWith("/zookeeper/")) {
        throw new AppError("VALIDATION", `refusing to remove ${abs}`, { fields: [{ field: "path", message: "is a reserved node" }] });
      }
      try {
        await withSession<void>(`remove ${path}`, (client, done) => client.remove(abs, version, (err) => done(err)));
      } catch (e) {
        throw ctx.translate(e, "remove", path, { expectedVersion: version });
      }
    },

    async close() {
      closed = true;
      const client = current;
      const pending = session;
      current = null;
      session = null;
      if (!client) return;
      // Calls still waiting on this session fail now rather than at their deadline.
      pending?.catch(() => undefined);
      kill?.(ctx.unavailable("client was closed"));
      kill = null;
      const cm = internals(client);
      shutdown(client);
      // Give a healthy server the moment it needs to acknowledge CloseSession (which removes
      // ephemeral nodes at once rather than after the session timeout).
      if (cm && cm.state !== CM_CLOSED) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, CLOSE_GRACE_MS + 100);
          t.unref();
          function done() {
            clearTimeout(t);
            cm?.removeListener("state", onState);
            resolve();
          }
          function onState(s: number) {
            if (s === CM_CLOSED) done();
          }
          cm.on("state", onState);
        });
      }
      logger.debug("zookeeper session closed", { environment: connection.environment, hosts });
    },
  };
}
