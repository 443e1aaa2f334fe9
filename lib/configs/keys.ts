/**
 * TanStack Query keys and page paths of the configs area, for the browser. Every key of an
 * environment's configs starts with ["configs", environment], so one invalidation after a change
 * re-reads them all.
 */
export const CONFIG_TYPES = ["yaml", "properties", "json", "xml", "html", "toml", "text"] as const;

export interface ConfigListParams {
  dataId: string;
  group: string;
  match: "contains" | "exact";
  type: string;
  grayOnly: boolean;
  page: number;
  pageSize: number;
}

export const configKeys = {
  all: ["configs"] as const,
  environment: (environment: string) => [...configKeys.all, environment] as const,
  namespaces: (environment: string) => [...configKeys.environment(environment), "namespaces"] as const,
  list: (environment: string, namespace: string, params: ConfigListParams) => [...configKeys.environment(environment), namespace, "list", params] as const,
  config: (environment: string, namespace: string, group: string, dataId: string) => [...configKeys.environment(environment), namespace, "config", group, dataId] as const,
  detail: (environment: string, namespace: string, group: string, dataId: string) => [...configKeys.config(environment, namespace, group, dataId), "detail"] as const,
  history: (environment: string, namespace: string, group: string, dataId: string, page: number) => [...configKeys.config(environment, namespace, group, dataId), "history", page] as const,
  historyRecord: (environment: string, namespace: string, group: string, dataId: string, id: string) => [...configKeys.config(environment, namespace, group, dataId), "history-record", id] as const,
  grayStatus: (environment: string, namespace: string, group: string, dataId: string) => [...configKeys.config(environment, namespace, group, dataId), "gray"] as const,
  betas: (environment: string, namespace: string, keys: string[]) => [...configKeys.environment(environment), namespace, "betas", keys] as const,
};

/** The namespace as a URL segment: Nacos' public namespace ("" here) is "public" in a URL. */
export function namespaceSegment(namespace: string): string {
  return namespace === "" ? "public" : namespace;
}

export function namespaceFromSegment(segment: string): string {
  return segment === "public" ? "" : segment;
}

/** A config's own page: `/configs/<env>/<namespace>/<group>/<dataId>`. */
export function configPagePath(environment: string, namespace: string, group: string, dataId: string): string {
  return `/configs/${[environment, namespaceSegment(namespace), group, dataId].map(encodeURIComponent).join("/")}`;
}

/** The API resource of a config: `/api/v1/environments/<env>/configs/<group>/<dataId>` (namespace as a query parameter). */
export function configApiPath(environment: string, group: string, dataId: string): string {
  return `/api/v1/environments/${encodeURIComponent(environment)}/configs/${encodeURIComponent(group)}/${encodeURIComponent(dataId)}`;
}

export const TRANSFER_REASON_CODES = ["exists", "unchanged", "redacted", "conflict", "invalidContent", "badPath", "unlisted", "missingFile", "notUtf8", "tooLarge", "badType", "duplicate", "metadata", "sourceMissing", "other"] as const;
export type TransferReasonCode = (typeof TRANSFER_REASON_CODES)[number];

/** The kind of a plan or result reason (the server words them in English; the UI shows each kind in the reader's language). */
export function transferReasonCode(reason: string): TransferReasonCode {
  if (reason === "exists") return "exists";
  if (reason === "unchanged") return "unchanged";
  if (reason.startsWith("holds redacted values")) return "redacted";
  if (reason.startsWith("conflict")) return "conflict";
  if (/does not parse at line|^empty content|^content longer than/.test(reason)) return "invalidContent";
  if (reason.startsWith("the path must be")) return "badPath";
  if (reason.startsWith("not listed in")) return "unlisted";
  if (reason.includes("but the file is missing")) return "missingFile";
  if (reason === "not UTF-8 text") return "notUtf8";
  if (reason.startsWith("larger than")) return "tooLarge";
  if (reason.startsWith("type ")) return "badType";
  if (reason === "listed twice" || reason.endsWith("lists this config twice")) return "duplicate";
  if (reason.startsWith(".metadata.yml")) return "metadata";
  if (reason === "the source config does not exist") return "sourceMissing";
  return "other";
}
