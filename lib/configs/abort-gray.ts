import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { configGrayReleases } from "@/db/schema";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { activeGray } from "@/lib/configs/gray-store";
import { withConfigLock } from "@/lib/configs/key-lock";
import { ConfigRefInput } from "@/lib/configs/publishing";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const AbortGrayInput = ConfigRefInput.extend({ grayId: z.uuid("must be the gray release's id") }).strict();

/**
 * Aborts a gray release: stops Nacos' beta (the gray instances read the formal content again)
 * and reads back that none remains. Who may: config.gray in scope — also in production, where
 * stopping a canary is the safe direction. Audited with the IPs it was served to.
 */
export const abortGray = defineOperation({
  action: "config.gray.abort",
  permission: "config.gray",
  hideWhenUnreadable: "config.read",
  input: AbortGrayInput,
  target: (input, ctx) => configTarget(input, ctx, null),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.gray");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const gray = await activeGray(ctx.db, { environment: row.name, ...key });
      if (!gray || gray.id !== input.grayId) throw new AppError("CONFLICT", "the gray release is no longer active", { userMessage: "This gray release is no longer active; reload the page." });
      const stopped = await client.stopBeta(key);
      await ctx.db.update(configGrayReleases).set({ state: "aborted", endedAt: new Date(), endedBy: ctx.actor.username, updatedAt: new Date() }).where(eq(configGrayReleases.id, gray.id));
      const beta = await client.getBetaConfig(key);
      return {
        result: { aborted: true, betaStopped: stopped, betaMd5: beta?.md5 ?? null },
        before: { md5: gray.md5, ips: gray.ips },
        after: { betaMd5: beta?.md5 ?? null },
        versionBefore: gray.md5,
        versionAfter: null,
        detail: { grayId: gray.id, confirmed: beta === null },
        ...(beta === null ? {} : { outcome: "unknown" as const }),
      };
    });
  },
});
