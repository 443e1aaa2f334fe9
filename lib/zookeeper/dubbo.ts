/**
 * Pure parsers for what service frameworks register in ZooKeeper:
 * - Dubbo: one znode per provider/consumer under `/dubbo/<interface>/{providers,consumers}`,
 *   named by the URL-encoded Dubbo URL (the node data is usually empty).
 * - Spring Cloud Zookeeper (Curator service discovery): `/services/<name>/<id>` whose data is
 *   a JSON ServiceInstance.
 * Everything here is upstream data: anything malformed yields null, never a throw.
 */
import { z } from "zod";

export interface DubboUrl {
  protocol: string;
  host: string;
  /** null when the URL carries no port (consumer URLs usually do not). */
  port: number | null;
  interface: string;
  application: string | null;
  version: string | null;
  group: string | null;
  methods: string[];
  /** Load-balancing weight; Dubbo's default is 100. */
  weight: number;
  disabled: boolean;
  side: "provider" | "consumer" | null;
  /** Every query parameter as registered (values not further decoded). */
  params: Record<string, string>;
}

const DEFAULT_WEIGHT = 100;
const MAX_URL_LENGTH = 65_536;
const PROTOCOL_RE = /^[a-z][a-z0-9+.-]{0,31}$/;
const HOSTNAME_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?$/;
const IPV6_RE = /^\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?\]$/;
// A Java type name: dotted identifiers (Dubbo also allows `$` for nested classes).
const INTERFACE_RE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function blank(v: string | undefined): string | null {
  return v === undefined || v === "" ? null : v;
}

/** Parses a decoded Dubbo URL such as `dubbo://10.0.0.5:20880/com.acme.DemoService?…`. */
export function parseDubboUrl(url: string): DubboUrl | null {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_URL_LENGTH) return null;
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return null;
  const m = /^([^:/?#]+):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(url);
  if (!m) return null;
  const protocol = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = (m[3] ?? "").replace(/^\/+/, "");
  const query = m[4] ?? "";
  if (!PROTOCOL_RE.test(protocol)) return null;

  // Dubbo URLs may carry credentials (`user:pass@host`); drop them, never expose them.
  const hostPort = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) return null;
    host = hostPort.slice(0, close + 1);
    const rest = hostPort.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return null;
    portText = rest ? rest.slice(1) : undefined;
    if (!IPV6_RE.test(host)) return null;
  } else {
    const parts = hostPort.split(":");
    if (parts.length > 2) return null;
    host = parts[0]!;
    portText = parts[1];
    if (!HOSTNAME_RE.test(host)) return null;
  }
  let port: number | null = null;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }

  const entries: Array<[string, string]> = [];
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    if (!key) continue;
    entries.push([key, value]);
  }
  // fromEntries defines own properties, so a `__proto__` key cannot touch the prototype.
  const params: Record<string, string> = Object.fromEntries(entries);
  const param = (k: string): string | undefined => (Object.hasOwn(params, k) ? params[k] : undefined);

  const iface = blank(param("interface")) ?? blank(path.includes("/") ? path.slice(path.lastIndexOf("/") + 1) : path);
  if (!iface || !INTERFACE_RE.test(iface)) return null;

  const weightText = param("weight");
  const weight = weightText !== undefined && /^\d{1,9}$/.test(weightText) ? Number(weightText) : DEFAULT_WEIGHT;
  const sideParam = param("side");
  const side = sideParam === "provider" || sideParam === "consumer" ? sideParam : protocol === "consumer" ? "consumer" : null;
  const methods = (param("methods") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  return {
    protocol,
    host,
    port,
    interface: iface,
    application: blank(param("application")),
    version: blank(param("version")),
    group: blank(param("group")),
    methods,
    weight,
    disabled: param("disabled") === "true",
    side,
    params,
  };
}

/** Parses a child name of `/dubbo/<interface>/providers` (or `/consumers`): a URL-encoded Dubbo URL. */
export function parseDubboZnodeName(name: string): DubboUrl | null {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_URL_LENGTH) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return null;
  }
  return parseDubboUrl(decoded);
}

/** Encodes a Dubbo URL the way Dubbo names its registry znodes. */
export function encodeDubboZnodeName(url: string): string {
  return encodeURIComponent(url);
}

// --- Spring Cloud Zookeeper ---------------------------------------------------------------

const Port = z.number().int().min(0).max(65535);

/** The part of Curator's ServiceInstance JSON the console reads. */
export const SpringCloudInstanceJson = z.object({
  name: z.string().min(1).max(1024),
  id: z.string().min(1).max(1024),
  address: z.string().min(1).max(1024),
  port: Port.nullish(),
  sslPort: Port.nullish(),
  payload: z
    .object({
      metadata: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
});
export type SpringCloudInstanceJson = z.infer<typeof SpringCloudInstanceJson>;

export interface SpringCloudInstance {
  name: string;
  id: string;
  address: string;
  /** null when the instance registered only an SSL port (or none). */
  port: number | null;
  sslPort: number | null;
  metadata: Record<string, string>;
}

/** Parses the data of `/services/<name>/<id>`; null when it is not a valid instance. */
export function parseSpringCloudInstance(data: Buffer | string | null | undefined): SpringCloudInstance | null {
  if (data === null || data === undefined) return null;
  const text = typeof data === "string" ? data : Buffer.isBuffer(data) ? data.toString("utf8") : null;
  if (text === null || text.length === 0 || text.length > 1_048_576) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = SpringCloudInstanceJson.safeParse(json);
  if (!parsed.success) return null;
  const v = parsed.data;
  return {
    name: v.name,
    id: v.id,
    address: v.address,
    port: v.port ?? null,
    sslPort: v.sslPort ?? null,
    metadata: Object.fromEntries(Object.entries(v.payload?.metadata ?? {})),
  };
}
