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
  /** Nacos serves a beta (gray) of it now, started by the console or not, or the console has an active gray release. */
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

/** One item of an import or clone plan (lib/configs/transfer-plan.ts), with both contents of a create or overwrite for its diff. */
export interface TransferPlanItemView {
  path: string;
  group: string | null;
  dataId: string | null;
  type: string | null;
  action: "create" | "overwrite" | "skip" | "fail";
  reason?: string;
  currentMd5: string | null;
  newMd5: string | null;
  before?: string;
  after?: string;
}

export interface TransferPreviewView {
  environment: string;
  namespace: string;
  plan: { policy: "abort" | "skip" | "overwrite"; counts: { create: number; overwrite: number; skip: number; fail: number } };
  items: TransferPlanItemView[];
  expected: Record<string, string | null>;
}

export interface TransferItemResultView {
  path: string;
  group: string | null;
  dataId: string | null;
  outcome: "created" | "overwritten" | "skipped" | "failed";
  reason?: string;
  md5?: string | null;
}

export interface TransferResultView {
  environment: string;
  namespace: string;
  policy: "abort" | "skip" | "overwrite";
  counts: { created: number; overwritten: number; skipped: number; failed: number };
  items: TransferItemResultView[];
}

export interface TransferProgressView {
  done: number;
  total: number;
  item?: TransferItemResultView;
}
