import "server-only";
import { z } from "zod";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { withConfigLock } from "@/lib/configs/key-lock";
import { auditContent, ConfigRefInput, ConfigType, Md5Param, staleEditConflict } from "@/lib/configs/publishing";
import { AppError, isAppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const RollbackConfigInput = ConfigRefInput.extend({
  /** The history record whose content is published again. */
  historyId: z.string().regex(/^[0-9]{1,20}$/, "must be a history id"),
  /** The formal md5 the operator saw when confirming: the rollback is CAS-guarded by it. */
  casMd5: Md5Param,
}).strict();

/**
 * Rolls a config back: publishes the content a history record holds as a NEW version (history
 * is never rewritten), guarded by the md5 the operator confirmed against (casMd5; 409 with the
 * three versions otherwise). Who may: config.publish in scope (tier=prod: operator). Audited
 * with before/after, secrets redacted.
 */
export const rollbackConfig = defineOperation({
  action: "config.rollback",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: RollbackConfigInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.rollback", permission: "config.publish" }),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.publish");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    const record = await client.getHistory({ ...key, id: input.historyId });
    if (!record) throw new AppError("NOT_FOUND", `history ${input.historyId} of ${input.group}/${input.dataId} not found`, { userMessage: `History record ${input.historyId} does not exist for this config.` });
    if (record.content === "") throw new AppError("VALIDATION", "history record holds no content", { fields: [{ field: "historyId", message: "this record holds no content to roll back to" }] });
    const what = `Config ${input.group}/${input.dataId}`;
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const before = await client.getConfig(key);
      const stale = (now: typeof before) => staleEditConflict(row.name, what, { base: null, theirs: now?.content ?? null, theirsMd5: now?.md5 ?? null, mine: record.content }, input.casMd5);
      if (!before || before.md5 !== input.casMd5) throw stale(before);
      const parsed = ConfigType.safeParse(before.type);
      const type = parsed.success ? parsed.data : "text";
      let md5: string;
      try {
        md5 = await client.publishConfig({ ...key, content: record.content, type, casMd5: input.casMd5 });
      } catch (e) {
        if (isAppError(e) && (e.code === "CONFLICT" || e.code === "UPSTREAM_REJECTED")) {
          const now = await client.getConfig(key).catch(() => undefined);
          if (now !== undefined && now?.md5 !== input.casMd5) throw stale(now);
        }
        throw e;
      }
      const after = await client.getConfig(key);
      return {
        result: { md5, readBackMd5: after?.md5 ?? null, confirmed: after?.md5 === md5, historyId: input.historyId },
        before: { content: auditContent(before.content, type), type, md5: before.md5 },
        after: { content: auditContent(record.content, type), type, md5 },
        versionBefore: before.md5,
        versionAfter: md5,
        detail: { historyId: input.historyId, ...(after?.md5 === md5 ? {} : { confirmed: false }) },
        ...(after?.md5 === md5 ? {} : { outcome: "unknown" as const }),
      };
    });
  },
});
