/**
 * What the configs pages show, as plain types and pure helpers (no server code): components
 * import these instead of server modules.
 */
import type { GrayRule } from "@/db/schema/configs";

export type { GrayRule };

export type ConfigTypeName = "yaml" | "properties" | "json" | "xml" | "html" | "toml" | "text";

export interface ConfigListItem {
  dataId: string;
  group: string;
  type: string | null;
  md5: string | null;
  /** An active gray release started by the console. */
  gray: boolean;
}

export interface ConfigListPage {
  total: number;
  page: number;
  pages: number;
  items: ConfigListItem[];
}

export interface GrayReleaseView {
  id: string;
  state: "active" | "promoted" | "aborted" | "expired";
  content: string;
  md5: string;
  type: string;
  baseMd5: string | null;
  rule: GrayRule;
  ips: string[];
  creator: string;
  deadline: string | null;
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
}

export interface ConfigDetailView {
  environment: string;
  namespace: string;
  group: string;
  dataId: string;
  /** The formal config; null when only a beta exists (or nothing). */
  formal: { content: string; md5: string; type: string | null; description: string | null; modifiedAt: number | null; createdBy: string | null } | null;
  /** The beta Nacos serves now (started by the console or not). */
  beta: { content: string; md5: string; ips: string[] } | null;
  /** The console's active gray release of this config. */
  gray: GrayReleaseView | null;
  /** The environment is labelled tier=prod (publishing needs operator). */
  prod: boolean;
}

export interface ConfigHistoryItem {
  id: string;
  opType: string;
  publishType: string;
  sourceIp: string | null;
  sourceUser: string | null;
  modifiedAt: number | null;
}

export interface ConfigHistoryPage {
  total: number;
  page: number;
  pages: number;
  items: ConfigHistoryItem[];
}

export interface ConfigHistoryRecordView extends ConfigHistoryItem {
  content: string;
  md5: string | null;
}

export interface GrayListener {
  ip: string;
  md5: string;
  holds: "gray" | "formal" | "other";
}

export interface GrayStatusView {
  gray: GrayReleaseView | null;
  formalMd5: string | null;
  betaMd5: string | null;
  betaIps: string[];
  listeners: GrayListener[];
  onGray: number;
  total: number;
}

export interface GrayPreview {
  ips: string[];
  /** Instances the rule chose from (its service's), 0 for an IP list. */
  candidates: number;
}

/** The conflict a stale edit gets (409): the version it was loaded from, the current one and the edit. */
export interface ConfigConflict {
  base: string | null;
  theirs: string | null;
  theirsMd5: string | null;
  mine: string;
}
