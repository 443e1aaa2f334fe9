import "server-only";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { activeGray } from "@/lib/configs/gray-store";
import { withConfigLock } from "@/lib/configs/key-lock";
import { auditContent, ConfigRefInput, Md5Param, staleEditConflict } from "@/lib/configs/publishing";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const DeleteConfigInput = ConfigRefInput.extend({
  /** The md5 the operator saw: a config changed since is not deleted (409). */
  casMd5: Md5Param,
}).strict();

/**
 * Deletes a config, only as the operator saw it (md5 compared under the config's lock) and
 * never while a gray release of it is active (abort or promote it first). Who may:
 * config.publish in scope (tier=prod: operator). Audited with the deleted content, secrets redacted.
 */
export const deleteConfig = defineOperation({
  action: "config.delete",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: DeleteConfigInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.delete", permission: "config.publish" }),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.publish");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const gray = await activeGray(ctx.db, { environment: row.name, ...key });
      if (gray) {
        throw new AppError("CONFLICT", `config ${input.group}/${input.dataId} has an active gray release`, {
          userMessage: `Config ${input.group}/${input.dataId} has an active gray release; promote or abort it before deleting the config.`,
        });
      }
      const before = await client.getConfig(key);
      if (!before) throw new AppError("NOT_FOUND", `config ${input.group}/${input.dataId} not found`, { userMessage: `Config ${input.group}/${input.dataId} no longer exists.` });
      if (before.md5 !== input.casMd5) {
        throw staleEditConflict(row.name, `Config ${input.group}/${input.dataId}`, { base: null, theirs: before.content, theirsMd5: before.md5, mine: "" }, input.casMd5);
      }
      await client.deleteConfig(key);
      return {
        result: { deleted: true },
        before: { content: auditContent(before.content, before.type), type: before.type, md5: before.md5 },
        after: null,
        versionBefore: before.md5,
        versionAfter: null,
      };
    });
  },
});
