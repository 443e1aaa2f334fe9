import "server-only";
import { z } from "zod";
import { configCenterFor, configTarget, targetRow } from "@/lib/configs/access";
import { withConfigLock } from "@/lib/configs/key-lock";
import { assertValidContent, auditContent, ConfigRefInput, ConfigType, Content, Md5Param, staleEditConflict } from "@/lib/configs/publishing";
import { isAppError } from "@/lib/errors";
import { md5Hex } from "@/lib/nacos/client";
import { defineOperation } from "@/lib/ops/define-operation";

export const UpdateConfigInput = ConfigRefInput.extend({
  type: ConfigType,
  content: Content,
  /** The md5 the editor loaded: Nacos refuses the publish when the config changed since (casMd5). */
  casMd5: Md5Param,
  /** The content the editor loaded (its md5 must be casMd5): the "base" of a conflict's three-way view. */
  baseContent: z.string().max(200 * 1024).optional(),
}).strict();

/**
 * Publishes an edited config, never over a change the editor did not see: the publish carries
 * the md5 it was loaded from as Nacos' casMd5; a mismatch (checked under the config's lock, and
 * by Nacos itself) is a 409 with base, theirs and mine and nothing is written. Content is
 * validated by its type first. Nacos' `true` to the CAS publish is the confirmation (no read
 * back: its admin API reads the same row it just wrote). Who may:
 * config.publish in scope (tier=prod: operator). Audited with before/after, secrets redacted.
 */
export const updateConfig = defineOperation({
  action: "config.publish",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: UpdateConfigInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.publish", permission: "config.publish" }),
  async run(input, ctx) {
    assertValidContent(input.type, input.content);
    const { row, client } = await configCenterFor(ctx.actor, targetRow(ctx, input.environment), input.namespace, "config.publish");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    const what = `Config ${input.group}/${input.dataId}`;
    const base = input.baseContent !== undefined && md5Hex(input.baseContent) === input.casMd5 ? input.baseContent : null;
    const stale = async () => {
      const now = await client.getConfig(key);
      return staleEditConflict(row.name, what, { base, theirs: now?.content ?? null, theirsMd5: now?.md5 ?? null, mine: input.content }, input.casMd5);
    };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const before = await client.getConfig(key);
      if (!before || before.md5 !== input.casMd5) throw await stale();
      let md5: string;
      try {
        // `before` was read under the lock just now: the client need not read it again.
        md5 = await client.publishConfig({ ...key, content: input.content, type: input.type, casMd5: input.casMd5 }, { existenceChecked: true });
      } catch (e) {
        // Nacos answers false (or a conflict) when the stored md5 moved between our read and its write.
        if (isAppError(e) && (e.code === "CONFLICT" || e.code === "UPSTREAM_REJECTED")) {
          const now = await client.getConfig(key).catch(() => undefined);
          if (now !== undefined && now?.md5 !== input.casMd5 && now?.md5 !== md5Hex(input.content)) throw await stale();
        }
        throw e;
      }
      return {
        result: { md5, readBackMd5: null as string | null, confirmed: true },
        before: { content: auditContent(before.content, before.type), type: before.type, md5: before.md5 },
        after: { content: auditContent(input.content, input.type), type: input.type, md5 },
        versionBefore: before.md5,
        versionAfter: md5,
      };
    });
  },
});
