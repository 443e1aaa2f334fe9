import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { configCenterFor } from "@/lib/configs/access";
import { DataIdParam, GroupParam, NamespaceParam } from "@/lib/configs/configs";
import { applyPlan, assertAbortable, namespaceTarget, planTransfer, previewOf, readCurrent, transferOutcome, type TransferPreview } from "@/lib/configs/transfer";
import { CONFLICT_POLICIES, keyOf, type RefusedItem, type SourceItem } from "@/lib/configs/transfer-plan";
import { AppError } from "@/lib/errors";
import type { NacosClient } from "@/lib/nacos/client";
import { defineOperation } from "@/lib/ops/define-operation";

export const CloneConfigsInput = z
  .object({
    /** The source environment and namespace. */
    environment: z.string().min(1),
    namespace: NamespaceParam,
    items: z
      .array(z.object({ group: GroupParam, dataId: DataIdParam }).strict())
      .min(1, "select at least one config")
      .max(500, "at most 500 configs per clone"),
    targetEnvironment: z.string().min(1).max(128),
    targetNamespace: NamespaceParam,
    policy: z.enum(CONFLICT_POLICIES),
    expected: z.record(z.string().max(520), z.string().regex(/^[0-9a-f]{32}$/).nullable()).optional(),
  })
  .strict();

export const ClonePreviewInput = CloneConfigsInput.omit({ expected: true });

type CloneInput = z.output<typeof ClonePreviewInput>;

function sameTarget(input: CloneInput, sourceEnv: string, targetEnv: string): void {
  if (sourceEnv === targetEnv && input.namespace === input.targetNamespace) {
    throw new AppError("VALIDATION", "clone target is the source", { fields: [{ field: "targetNamespace", message: "choose another namespace or environment than the source" }] });
  }
}

/** The source configs, read server side (their contents, secrets included, never reach the browser). */
async function readSources(client: NacosClient, input: CloneInput): Promise<{ items: SourceItem[]; refused: RefusedItem[]; sources: Map<string, SourceItem> }> {
  const found = await readCurrent(client, input.namespace, input.items);
  const items: SourceItem[] = [];
  const refused: RefusedItem[] = [];
  for (const k of input.items) {
    const c = found.get(keyOf(k));
    if (c) items.push({ group: k.group, dataId: k.dataId, type: c.type ?? "text", content: c.content });
    else refused.push({ path: keyOf(k), group: k.group, dataId: k.dataId, reason: "the source config does not exist" });
  }
  return { items, refused, sources: new Map(items.map((i) => [keyOf(i), i])) };
}

/** The preview as the browser may see it: the plan and diffs, which hold contents the caller may read on both sides. */
export async function previewClone(actor: Actor, environment: string, input: CloneInput): Promise<TransferPreview> {
  const source = await configCenterFor(actor, environment, input.namespace, "config.read");
  const target = await configCenterFor(actor, input.targetEnvironment, input.targetNamespace, "config.read");
  sameTarget(input, source.row.name, target.row.name);
  const { items, refused, sources } = await readSources(source.client, input);
  const current = await readCurrent(target.client, input.targetNamespace, items);
  const plan = planTransfer({ policy: input.policy, items, refused, current });
  return previewOf(target.row.name, input.targetNamespace, plan, current, sources);
}

/**
 * Clones configs to another namespace and/or environment, server side: the contents never pass
 * through the browser, so secrets are copied intact (docs/security.md §50). Same conflict
 * policy, validation and per-item results as an import; each write through createConfig /
 * updateConfig (own audit rows, CAS on the md5 read while planning). Who may: config.read on the
 * source (404 otherwise) and config.publish on the target (tier=prod: operator).
 */
export const cloneConfigs = defineOperation({
  action: "config.clone",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: CloneConfigsInput,
  async target(input, ctx) {
    const source = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.read");
    return namespaceTarget(input.targetEnvironment, input.targetNamespace, ctx, "config.clone", `clone from ${source.row.name}/${input.namespace || "public"}`);
  },
  async run(input, ctx) {
    const source = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.read");
    const target = await configCenterFor(ctx.actor, input.targetEnvironment, input.targetNamespace, "config.publish");
    sameTarget(input, source.row.name, target.row.name);
    const { items, refused, sources } = await readSources(source.client, input);
    const current = await readCurrent(target.client, input.targetNamespace, items);
    const plan = planTransfer({ policy: input.policy, items, refused, current, expected: input.expected });
    assertAbortable(plan, target.row.name);
    const result = await applyPlan(ctx.actor, ctx, { environment: target.row.name, namespace: input.targetNamespace }, plan, sources);
    return transferOutcome(result);
  },
});
