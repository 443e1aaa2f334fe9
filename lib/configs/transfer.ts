/**
 * What import and clone share: the target's current state read per key (bounded concurrency),
 * the plan, the namespace-wide operation target (tier=prod needs operator, refusals audited
 * `denied`), the abort rule (nothing written; 422 / 409 naming the items), and the writes —
 * each item through the one write path (createConfig / updateConfig: per-key lock, CAS on the
 * md5 read while planning, one audit intent + outcome per config, docs/security.md §50).
 */
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import type { AuditAction } from "@/lib/audit/actions";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { configScope, mayPublishTo } from "@/lib/configs/access";
import { createConfig } from "@/lib/configs/create-config";
import { MAX_CONTENT } from "@/lib/configs/publishing";
import { abortBlockers, computePlan, keyOf, type ConflictPolicy, type CurrentState, type Plan, type PlanItem, type RefusedItem, type SourceItem } from "@/lib/configs/transfer-plan";
import { updateConfig } from "@/lib/configs/update-config";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, isAppError } from "@/lib/errors";
import { contentErrors } from "@/lib/formats/validate";
import { md5Hex, type NacosClient } from "@/lib/nacos/client";
import type { OperationContext, OperationTarget, RequestMeta } from "@/lib/ops/define-operation";

export type ItemOutcome = "created" | "overwritten" | "skipped" | "failed";

export interface TransferItemResult {
  path: string;
  group: string | null;
  dataId: string | null;
  outcome: ItemOutcome;
  reason?: string;
  md5?: string | null;
}

export interface TransferResult {
  environment: string;
  namespace: string;
  policy: ConflictPolicy;
  counts: Record<ItemOutcome, number>;
  items: TransferItemResult[];
}

export interface TransferProgress {
  done: number;
  total: number;
  item?: TransferItemResult;
}

/** Progress of a running import or clone, for a route that streams it (lib/configs/transfer-stream.ts). */
export const transferProgress = new AsyncLocalStorage<(p: TransferProgress) => void>();

/** Content checks an item gets before planning: size, then its type's parser (line and column). */
export function validateItem(item: SourceItem): string | null {
  if (item.content.length === 0) return "empty content";
  if (item.content.length > MAX_CONTENT) return `content longer than ${MAX_CONTENT} characters`;
  const errors = contentErrors(item.type, item.content);
  if (errors.length === 0) return null;
  const e = errors[0]!;
  return `${item.type} does not parse at line ${e.line}, column ${e.column}: ${e.message}`;
}

/** The target's state of each key, 8 reads at a time. */
export async function readCurrent(client: NacosClient, namespace: string, keys: Array<{ group: string; dataId: string }>): Promise<Map<string, CurrentState | null>> {
  const out = new Map<string, CurrentState | null>();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const k = keys[next++]!;
      const c = await client.getConfig({ namespace, group: k.group, dataId: k.dataId });
      out.set(keyOf(k), c ? { md5: c.md5, content: c.content, type: c.type } : null);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, keys.length) }, worker));
  return out;
}

export function planTransfer(input: {
  policy: ConflictPolicy;
  items: SourceItem[];
  refused?: RefusedItem[];
  current: Map<string, CurrentState | null>;
  expected?: Record<string, string | null>;
}): Plan {
  return computePlan({ ...input, md5: md5Hex, validate: validateItem });
}

/** Under `abort`: 422 when an item is invalid, 409 when a key exists — nothing is written. */
export function assertAbortable(plan: Plan, environment: string): void {
  const { invalid, existing } = abortBlockers(plan);
  const name = (items: PlanItem[]) => items.map((i) => `${i.path} (${i.reason})`).slice(0, 20).join("; ");
  const details = (items: PlanItem[]) => ({ items: items.map((i) => ({ path: i.path, reason: i.reason })) });
  if (invalid.length > 0) {
    throw new AppError("UNPROCESSABLE", `abort: ${invalid.length} item(s) cannot be imported: ${name(invalid)}`, {
      userMessage: `Nothing was written: ${invalid.length} item(s) cannot be written — ${name(invalid)}.`,
      details: details(invalid),
    });
  }
  if (existing.length > 0) {
    throw new AppError("CONFLICT", `abort: ${existing.length} key(s) already exist in ${environment}: ${name(existing)}`, {
      userMessage: `Nothing was written: ${existing.length} config(s) already exist (policy abort) — ${name(existing)}.`,
      details: details(existing),
    });
  }
}

/**
 * The operation target of a bulk write into one namespace, after the tier=prod rule: a developer
 * writing to production gets a `denied` audit row and 403 before any intent.
 */
export async function namespaceTarget(environment: string, namespace: string, ctx: Omit<OperationContext, "tx">, action: AuditAction, name: string): Promise<OperationTarget> {
  const row = await resolveEnvironmentRow(ctx.actor, environment, "environment.read");
  const ns = namespace || "public";
  const target: OperationTarget = { kind: "configs", name, environment: { name: row.name, labels: row.labels }, namespace: ns };
  const scope = configScope(row, namespace);
  if (decide(ctx.actor.grants, "config.publish", scope) && !mayPublishTo(ctx.actor, scope)) {
    await auditTrail(ctx.db, {
      requestId: ctx.requestId,
      action,
      actor: auditActor(ctx.actor),
      environment: row.name,
      namespace: ns,
      targetKind: target.kind,
      targetName: name,
      clientIp: ctx.clientIp ?? null,
      userAgent: ctx.userAgent ?? null,
    }).denied({ permission: "config.publish", rule: "tier=prod needs operator" });
    throw new AppError("FORBIDDEN", `${ctx.actor.username} may not publish to production environment ${row.name}`, {
      details: { permission: "config.publish", rule: "tier=prod needs operator" },
      userMessage: `Publishing to ${row.name} (tier=prod) needs the operator role.`,
    });
  }
  return target;
}

function failureReason(e: unknown): string {
  if (isAppError(e)) {
    if (e.code === "CONFLICT") return "conflict: the config changed since it was read; nothing was written";
    return e.userMessage || e.message;
  }
  return "internal error";
}

/**
 * Writes a plan's creates and overwrites, one after another, each through its own operation
 * (own audit intent and outcome, request id `<request>.<n>`). Skips and failures are reported
 * as planned. Progress goes to the stream, if any.
 */
export async function applyPlan(
  actor: Actor,
  meta: RequestMeta,
  target: { environment: string; namespace: string },
  plan: Plan,
  sources: Map<string, SourceItem>,
): Promise<TransferResult> {
  const report = transferProgress.getStore();
  const items: TransferItemResult[] = [];
  const total = plan.items.length;
  let n = 0;
  for (const p of plan.items) {
    let r: TransferItemResult;
    const base = { path: p.path, group: p.group, dataId: p.dataId };
    const src = p.group && p.dataId ? sources.get(keyOf({ group: p.group, dataId: p.dataId })) : undefined;
    if (p.action === "skip") r = { ...base, outcome: "skipped", reason: p.reason, md5: p.currentMd5 };
    else if (p.action === "fail" || !src) r = { ...base, outcome: "failed", reason: p.reason ?? "not readable" };
    else {
      n += 1;
      const itemMeta = { ...meta, requestId: `${meta.requestId}.${n}` };
      const common = { environment: target.environment, namespace: target.namespace, group: src.group, dataId: src.dataId, type: src.type, content: src.content };
      try {
        if (p.action === "create") {
          const out = await createConfig.execute(actor, { ...common, ...(src.desc ? { description: src.desc.slice(0, 512) } : {}) }, itemMeta);
          r = { ...base, outcome: "created", md5: out.md5 };
        } else {
          const out = await updateConfig.execute(actor, { ...common, casMd5: p.currentMd5 }, itemMeta);
          r = { ...base, outcome: "overwritten", md5: out.md5 };
        }
      } catch (e) {
        r = { ...base, outcome: "failed", reason: failureReason(e) };
      }
    }
    items.push(r);
    report?.({ done: items.length, total, item: r });
  }
  const counts: Record<ItemOutcome, number> = { created: 0, overwritten: 0, skipped: 0, failed: 0 };
  for (const i of items) counts[i.outcome] += 1;
  return { environment: target.environment, namespace: target.namespace, policy: plan.policy, counts, items };
}

/** The audit outcome of a bulk write: counts and keys, never contents. */
export function transferOutcome(result: TransferResult) {
  const written = result.counts.created + result.counts.overwritten;
  return {
    result,
    after: { counts: result.counts, items: result.items.slice(0, 500).map((i) => ({ path: i.path, outcome: i.outcome, ...(i.reason ? { reason: i.reason } : {}) })) },
    ...(result.counts.failed > 0 && written > 0 ? { outcome: "partial" as const } : {}),
    detail: { policy: result.policy, counts: result.counts },
  };
}

/** What a preview shows of one item: the plan, with both contents of an overwrite for its diff. */
export interface PreviewItem extends PlanItem {
  before?: string;
  after?: string;
}

export interface TransferPreview {
  environment: string;
  namespace: string;
  plan: Plan;
  items: PreviewItem[];
  /** Per key: the md5 the target held (null: absent), to send back with the confirmed write. */
  expected: Record<string, string | null>;
}

/** Diffs are included up to ~2 MB of content in all. */
export function previewOf(environment: string, namespace: string, plan: Plan, current: Map<string, CurrentState | null>, sources: Map<string, SourceItem>): TransferPreview {
  let budget = 2 * 1024 * 1024;
  const expected: Record<string, string | null> = {};
  const items = plan.items.map((p): PreviewItem => {
    if (p.group && p.dataId && (p.action === "create" || p.action === "overwrite" || p.action === "skip")) expected[p.path] = p.currentMd5;
    if (p.action !== "overwrite" && p.action !== "create") return p;
    const src = sources.get(p.path);
    const cur = current.get(p.path);
    const before = cur?.content ?? "";
    const after = src?.content ?? "";
    if (before.length + after.length > budget) return p;
    budget -= before.length + after.length;
    return { ...p, before, after };
  });
  return { environment, namespace, plan, items, expected };
}
