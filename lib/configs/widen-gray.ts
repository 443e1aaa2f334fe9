import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { configGrayReleases } from "@/db/schema";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { configKeyOf, GrayRuleInput, resolveRule } from "@/lib/configs/gray";
import { activeGray } from "@/lib/configs/gray-store";
import { withConfigLock } from "@/lib/configs/key-lock";
import { ConfigRefInput } from "@/lib/configs/publishing";
import { ConfigType } from "@/lib/nacos/schemas";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const WidenGrayInput = ConfigRefInput.extend({
  grayId: z.uuid("must be the gray release's id"),
  rule: GrayRuleInput,
  expectedIps: z.array(z.string()).max(1000).optional(),
}).strict();

/**
 * Widens an active gray release: the new rule is resolved again and Nacos' beta is published to
 * the new IPs with the same content. Who may: config.gray in scope (tier=prod: operator).
 * Audited with the IPs before and after.
 */
export const widenGray = defineOperation({
  action: "config.gray.widen",
  permission: "config.gray",
  hideWhenUnreadable: "config.read",
  input: WidenGrayInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.gray.widen", permission: "config.gray" }),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.gray");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const gray = await activeGray(ctx.db, { environment: row.name, ...key });
      if (!gray || gray.id !== input.grayId) throw new AppError("CONFLICT", "the gray release is no longer active", { userMessage: "This gray release is no longer active; reload the page." });
      const resolved = await resolveRule(ctx.actor, row, client, input.namespace, input.rule, configKeyOf(input.namespace, input.group, input.dataId));
      if (resolved.ips.length === 0) throw new AppError("VALIDATION", "the rule chooses no instance", { fields: [{ field: "rule", message: "the rule chooses no instance" }] });
      if (input.expectedIps && [...input.expectedIps].sort().join(",") !== [...resolved.ips].sort().join(",")) {
        throw new AppError("CONFLICT", "the rule resolves to other IPs now", { userMessage: "The rule resolves to other instances than the ones you confirmed; resolve it again.", details: { ips: resolved.ips } });
      }
      const type = ConfigType.safeParse(gray.type);
      await client.publishConfig({ ...key, content: gray.content, type: type.success ? type.data : "text", betaIps: resolved.ips });
      await ctx.db.update(configGrayReleases).set({ rule: input.rule, ips: resolved.ips, updatedAt: new Date() }).where(eq(configGrayReleases.id, gray.id));
      return {
        result: { id: gray.id, ips: resolved.ips, candidates: resolved.candidates },
        before: { ips: gray.ips, rule: gray.rule },
        after: { ips: resolved.ips, rule: input.rule },
        versionBefore: gray.md5,
        versionAfter: gray.md5,
        detail: { grayId: gray.id },
      };
    });
  },
});
