import "server-only";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { withConfigLock } from "@/lib/configs/key-lock";
import { assertValidContent, auditContent, ConfigRefInput, ConfigType, Content } from "@/lib/configs/publishing";
import { UpstreamError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";
import { z } from "zod";

export const CreateConfigInput = ConfigRefInput.extend({
  type: ConfigType,
  content: Content,
  description: z.string().max(512).optional(),
}).strict();

/**
 * Creates a config in Nacos. Creates of one key are serialized across replicas (advisory lock,
 * lib/configs/key-lock.ts): the first creates it, any other finds it under the lock and gets
 * 409 — never an overwrite. Content is validated by its type first (400 naming line and
 * column). Who may: config.publish in the environment and namespace (tier=prod: operator).
 * Audited with the created content, secrets redacted.
 */
export const createConfig = defineOperation({
  action: "config.create",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: CreateConfigInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.create", permission: "config.publish" }),
  async run(input, ctx) {
    assertValidContent(input.type, input.content);
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.publish");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    const md5 = await withConfigLock({ environment: row.name, ...key }, async () => {
      const existing = await client.getConfig(key);
      if (existing) {
        throw new UpstreamError("CONFLICT", "nacos", `config ${input.group}/${input.dataId} already exists`, {
          environment: row.name,
          userMessage: `Config ${input.group}/${input.dataId} already exists in ${row.name}; nothing was created. Open it to edit it.`,
          details: { currentMd5: existing.md5 },
        });
      }
      return client.publishConfig({ ...key, content: input.content, type: input.type });
    });
    return {
      result: { md5, environment: row.name, namespace: input.namespace, group: input.group, dataId: input.dataId },
      before: null,
      after: { content: auditContent(input.content, input.type), type: input.type, md5 },
      versionBefore: null,
      versionAfter: md5,
    };
  },
});
