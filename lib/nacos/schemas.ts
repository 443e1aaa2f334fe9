/**
 * zod schemas for the Nacos 3 HTTP API (v3 admin + the v1 client read) and for the inputs of
 * lib/nacos/client.ts. Upstream shapes were measured on Nacos 3.1 standalone with auth on;
 * fields Nacos leaves null on some paths (beta reads, history rows) are nullish here.
 */
import net from "node:net";
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Identifiers: checked before they enter a URL or a form (STYLE.md "Validation").

/** Nacos' own rule for dataId and group (ParamUtils.isValid). */
const NACOS_NAME = /^[A-Za-z0-9_.:-]{1,256}$/;
/** Namespace ids as Nacos 3 accepts them; "" is the public namespace. */
const NAMESPACE_ID = /^[A-Za-z0-9_-]{0,128}$/;
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MD5 = /^[0-9a-f]{32}$/;

export const DataId = z.string().regex(NACOS_NAME, "dataId may contain only letters, digits and _ . : - (1-256 characters)");
export type DataId = z.infer<typeof DataId>;

export const Group = z.string().regex(NACOS_NAME, "group may contain only letters, digits and _ . : - (1-256 characters)");
export type Group = z.infer<typeof Group>;

export const Namespace = z.string().regex(NAMESPACE_ID, "namespace may contain only letters, digits, _ and - (at most 128 characters)");
export type Namespace = z.infer<typeof Namespace>;

export const ServiceName = z.string().regex(NACOS_NAME, "serviceName may contain only letters, digits and _ . : - (1-256 characters)");
export type ServiceName = z.infer<typeof ServiceName>;

export const ClusterName = z.string().regex(CLUSTER_NAME, "clusterName may contain only letters, digits, _ and - (1-64 characters)");
export type ClusterName = z.infer<typeof ClusterName>;

export const IpAddress = z.string().refine((v) => net.isIP(v) !== 0, "must be an IPv4 or IPv6 address");
export type IpAddress = z.infer<typeof IpAddress>;

export const Md5 = z.string().regex(MD5, "must be 32 lowercase hex digits");
export type Md5 = z.infer<typeof Md5>;

/** Config formats the Nacos console knows (ConfigType). */
export const ConfigType = z.enum(["text", "json", "xml", "yaml", "html", "properties", "toml"]);
export type ConfigType = z.infer<typeof ConfigType>;

const Page = z.number().int().min(1).max(100_000);
const PageSize = z.number().int().min(1).max(500);
/** Blur search takes `*` wildcards; everything else follows the identifier rule. */
const BlurPattern = z.string().regex(/^[A-Za-z0-9_.:*-]{0,256}$/, "may contain only letters, digits, _ . : - and * (at most 256 characters)");

// ---------------------------------------------------------------------------------------------
// Connection

export const NacosConnection = z.object({
  environment: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  accessToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
});
export type NacosConnection = z.infer<typeof NacosConnection>;

// ---------------------------------------------------------------------------------------------
// Inputs

export const ConfigKey = z.object({ dataId: DataId, group: Group, namespace: Namespace.default("") });
export type ConfigKey = z.input<typeof ConfigKey>;

export const PublishConfigInput = ConfigKey.extend({
  // Nacos refuses an empty content ("parameter missing").
  content: z.string().min(1, "content must not be empty"),
  type: ConfigType.default("text"),
  casMd5: Md5.optional(),
  betaIps: z.array(IpAddress).min(1).max(1000).optional(),
});
export type PublishConfigInput = z.input<typeof PublishConfigInput>;

export const ListConfigsInput = z.object({
  namespace: Namespace.default(""),
  search: z.enum(["blur", "accurate"]).default("blur"),
  dataId: BlurPattern.default(""),
  group: BlurPattern.default(""),
  /** Only configs of this type (Nacos filters server-side). */
  type: ConfigType.optional(),
  page: Page.default(1),
  pageSize: PageSize.default(50),
});
export type ListConfigsInput = z.input<typeof ListConfigsInput>;

export const ListHistoryInput = ConfigKey.extend({ page: Page.default(1), pageSize: PageSize.default(50) });
export type ListHistoryInput = z.input<typeof ListHistoryInput>;

export const GetHistoryInput = ConfigKey.extend({ id: z.string().regex(/^[0-9]{1,20}$/, "history id must be numeric") });
export type GetHistoryInput = z.input<typeof GetHistoryInput>;

export const CreateNamespaceInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "namespace id may contain only letters, digits, _ and - (1-128 characters)"),
  name: z.string().trim().min(1, "name must not be empty").max(128),
  description: z.string().max(256).default(""),
});
export type CreateNamespaceInput = z.input<typeof CreateNamespaceInput>;

export const ListServicesInput = z.object({
  namespace: Namespace.default(""),
  /** Substring filter on the group name (Nacos' groupNameParam; no wildcards). */
  group: Group.optional(),
  /** Substring filter on the service name (Nacos' serviceNameParam; no wildcards). */
  serviceName: ServiceName.optional(),
  page: Page.default(1),
  pageSize: PageSize.default(50),
});
export type ListServicesInput = z.input<typeof ListServicesInput>;

export const ServiceKey = z.object({ serviceName: ServiceName, group: Group.default("DEFAULT_GROUP"), namespace: Namespace.default("") });
export type ServiceKey = z.input<typeof ServiceKey>;

const Port = z.number().int().min(1).max(65_535);
const Weight = z.number().min(0).max(10_000);
const Metadata = z.record(z.string(), z.string());

export const InstanceKey = ServiceKey.extend({ ip: IpAddress, port: Port, clusterName: ClusterName.default("DEFAULT") });
export type InstanceKey = z.input<typeof InstanceKey>;

export const RegisterInstanceInput = InstanceKey.extend({
  weight: Weight.default(1),
  enabled: z.boolean().default(true),
  healthy: z.boolean().default(true),
  ephemeral: z.boolean().default(false),
  metadata: Metadata.default({}),
});
export type RegisterInstanceInput = z.input<typeof RegisterInstanceInput>;

export const UpdateInstanceInput = InstanceKey.extend({
  weight: Weight.optional(),
  enabled: z.boolean().optional(),
  metadata: Metadata.optional(),
}).refine((v) => v.weight !== undefined || v.enabled !== undefined || v.metadata !== undefined, {
  message: "give at least one of weight, enabled, metadata",
  path: ["weight"],
});
export type UpdateInstanceInput = z.input<typeof UpdateInstanceInput>;

export const DeregisterInstanceInput = InstanceKey.extend({ ephemeral: z.boolean() });
export type DeregisterInstanceInput = z.input<typeof DeregisterInstanceInput>;

// ---------------------------------------------------------------------------------------------
// Upstream responses

/** Nacos' `{code, message, data}` envelope; code 0 is success. */
export function NacosResult<T extends z.ZodType>(data: T) {
  return z.object({ code: z.number(), message: z.string().nullish(), data });
}
export type NacosResult<T> = { code: number; message?: string | null; data: T };

/** Error bodies: the envelope with a detail string, or Spring's error page from the auth filter. */
export const NacosErrorBody = z.union([
  z.object({ code: z.number(), message: z.string().nullish(), data: z.unknown() }),
  z.object({ status: z.number(), error: z.string().nullish(), message: z.string().nullish() }),
]);
export type NacosErrorBody = z.infer<typeof NacosErrorBody>;

export const NacosLoginResponse = z.object({
  accessToken: z.string().min(1),
  tokenTtl: z.number().positive(),
  globalAdmin: z.boolean().optional(),
  username: z.string().optional(),
});
export type NacosLoginResponse = z.infer<typeof NacosLoginResponse>;

const Id = z.union([z.string(), z.number()]).transform(String);
/** Nacos' TIMESTAMP columns come back as epoch milliseconds (0 where not loaded). */
const EpochMs = z.number();

export const NacosConfigDetail = z.object({
  id: Id,
  namespaceId: z.string(),
  groupName: z.string(),
  dataId: z.string(),
  md5: z.string().nullish(),
  type: z.string().nullish(),
  appName: z.string().nullish(),
  content: z.string(),
  desc: z.string().nullish(),
  createTime: EpochMs.nullish(),
  modifyTime: EpochMs.nullish(),
  createUser: z.string().nullish(),
  createIp: z.string().nullish(),
  configTags: z.string().nullish(),
});
export type NacosConfigDetail = z.infer<typeof NacosConfigDetail>;

export const NacosBetaConfigDetail = NacosConfigDetail.extend({
  grayName: z.string().nullish(),
  /** JSON text: {"type":"beta","version":"1.0.0","expr":"ip1,ip2","priority":…}. */
  grayRule: z.string().nullish(),
});
export type NacosBetaConfigDetail = z.infer<typeof NacosBetaConfigDetail>;

export const NacosGrayRule = z.object({ type: z.string().optional(), expr: z.string().default("") });
export type NacosGrayRule = z.infer<typeof NacosGrayRule>;

export function NacosPage<T extends z.ZodType>(item: T) {
  return z.object({
    totalCount: z.number().int(),
    pageNumber: z.number().int(),
    pagesAvailable: z.number().int(),
    pageItems: z.array(item),
  });
}

export const NacosConfigListItem = z.object({
  id: Id,
  namespaceId: z.string(),
  groupName: z.string(),
  dataId: z.string(),
  md5: z.string().nullish(),
  type: z.string().nullish(),
  appName: z.string().nullish(),
});
export type NacosConfigListItem = z.infer<typeof NacosConfigListItem>;

export const NacosHistoryItem = z.object({
  id: Id,
  namespaceId: z.string(),
  groupName: z.string(),
  dataId: z.string(),
  md5: z.string().nullish(),
  srcIp: z.string().nullish(),
  srcUser: z.string().nullish(),
  /** "I", "U" or "D", space-padded by the CHAR column. */
  opType: z.string().transform((v) => v.trim()),
  publishType: z.string().nullish(),
  modifyTime: EpochMs.nullish(),
});
export type NacosHistoryItem = z.infer<typeof NacosHistoryItem>;

export const NacosHistoryDetail = NacosHistoryItem.extend({
  content: z.string(),
  grayName: z.string().nullish(),
  extInfo: z.string().nullish(),
});
export type NacosHistoryDetail = z.infer<typeof NacosHistoryDetail>;

/** GET /v3/admin/cs/config/listener: client IP → the md5 that client holds (gray or formal). */
export const NacosListenerStatus = z.object({ queryType: z.string().nullish(), listenersStatus: z.record(z.string(), z.string()).nullish() });
export type NacosListenerStatus = z.infer<typeof NacosListenerStatus>;

export const NacosNamespace = z.object({
  namespace: z.string(),
  namespaceShowName: z.string(),
  namespaceDesc: z.string().nullish(),
  quota: z.number(),
  configCount: z.number(),
  /** 0 = global (public), 1 = private, 2 = custom. */
  type: z.number(),
});
export type NacosNamespace = z.infer<typeof NacosNamespace>;

export const NacosServiceListItem = z.object({
  name: z.string(),
  groupName: z.string(),
  clusterCount: z.number(),
  ipCount: z.number(),
  healthyInstanceCount: z.number(),
});
export type NacosServiceListItem = z.infer<typeof NacosServiceListItem>;

export const NacosInstance = z.object({
  ip: z.string(),
  port: z.number(),
  weight: z.number(),
  healthy: z.boolean(),
  enabled: z.boolean(),
  ephemeral: z.boolean(),
  clusterName: z.string(),
  /** "GROUP@@name" */
  serviceName: z.string(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type NacosInstance = z.infer<typeof NacosInstance>;

export const NacosServerState = z.object({
  version: z.string().nullish(),
  auth_enabled: z.string().nullish(),
  startup_mode: z.string().nullish(),
  function_mode: z.string().nullish(),
});
export type NacosServerState = z.infer<typeof NacosServerState>;

// ---------------------------------------------------------------------------------------------
// What the client returns (the console's vocabulary: group, namespace, epoch milliseconds)

export interface NacosConfig {
  dataId: string;
  group: string;
  /** As Nacos reports it: the public namespace is "public". */
  namespace: string;
  content: string;
  md5: string;
  type: string | null;
  description: string | null;
  tags: string | null;
  createdAt: number | null;
  modifiedAt: number | null;
  createdBy: string | null;
  createdFromIp: string | null;
}

export interface NacosBetaConfig extends NacosConfig {
  betaIps: string[];
}

export interface NacosPageOf<T> {
  total: number;
  page: number;
  pages: number;
  items: T[];
}

export interface NacosConfigSummary {
  dataId: string;
  group: string;
  namespace: string;
  md5: string | null;
  type: string | null;
}

export interface NacosHistoryEntry {
  id: string;
  dataId: string;
  group: string;
  namespace: string;
  /** I(nsert), U(pdate), D(elete). */
  opType: string;
  publishType: "formal" | "gray" | string;
  sourceIp: string | null;
  sourceUser: string | null;
  modifiedAt: number | null;
}

export interface NacosHistoryRecord extends NacosHistoryEntry {
  /** The content this row stores: for U and D the content BEFORE the change, for I the inserted content. */
  content: string;
  md5: string | null;
  grayName: string | null;
}

export interface NacosNamespaceInfo {
  id: string;
  name: string;
  description: string | null;
  quota: number;
  configCount: number;
  type: number;
}

export interface NacosService {
  name: string;
  group: string;
  clusterCount: number;
  instanceCount: number;
  healthyInstanceCount: number;
}

export interface NacosServiceInstance {
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  clusterName: string;
  serviceName: string;
  group: string;
  metadata: Record<string, string>;
}

export interface NacosPingResult {
  environment: string;
  version: string | null;
  authEnabled: boolean | null;
  mode: string | null;
  /** The user the console signs in as, when it signs in. */
  username: string | null;
  globalAdmin: boolean | null;
  namespaces: number;
  latencyMs: number;
}
