import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { configGrayReleases } from "@/db/schema";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { activeGray } from "@/lib/configs/gray-store";
import { withConfigLock } from "@/lib/configs/key-lock";
import { auditContent, ConfigRefInput, Md5Param, staleEditConflict } from "@/lib/configs/publishing";
import { ConfigType } from "@/lib/nacos/schemas";
import { AppError, isAppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const PromoteGrayInput = ConfigRefInput.extend({
  grayId: z.uuid("must be the gray release's id"),
  /** The formal md5 the operator saw: the full publish is CAS-guarded by it. */
  casMd5: Md5Param,
}).strict();

/**
 * Promotes a gray release: publishes its content as the formal version (CAS-guarded by the
 * formal md5 the operator saw; 409 with the versions otherwise), stops the beta, and reads both
 * back: the formal md5 must be the gray md5 and no beta may remain (`unknown` otherwise). Who
 * may: config.publish in scope (tier=prod: operator). Audited with before/after, secrets redacted.
 */
export const promoteGray = defineOperation({
  action: "config.gray.promote",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: PromoteGrayInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.gray.promote", permission: "config.publish" }),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.publish");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      const gray = await activeGray(ctx.db, { environment: row.name, ...key });
      if (!gray || gray.id !== input.grayId) throw new AppError("CONFLICT", "the gray release is no longer active", { userMessage: "This gray release is no longer active; reload the page." });
      const before = await client.getConfig(key);
      const what = `Config ${input.group}/${input.dataId}`;
      const stale = (now: typeof before) => staleEditConflict(row.name, what, { base: null, theirs: now?.content ?? null, theirsMd5: now?.md5 ?? null, mine: gray.content }, input.casMd5);
      if (!before || before.md5 !== input.casMd5) throw stale(before);
      const type = ConfigType.safeParse(gray.type);
      try {
        await client.publishConfig({ ...key, content: gray.content, type: type.success ? type.data : "text", casMd5: input.casMd5 });
      } catch (e) {
        if (isAppError(e) && e.code === "CONFLICT") throw stale(await client.getConfig(key));
        throw e;
      }
      const stopped = await client.stopBeta(key);
      await ctx.db.update(configGrayReleases).set({ state: "promoted", endedAt: new Date(), endedBy: ctx.actor.username, updatedAt: new Date() }).where(eq(configGrayReleases.id, gray.id));
      const [formal, beta] = await Promise.all([client.getConfig(key), client.getBetaConfig(key)]);
      const confirmed = formal?.md5 === gray.md5 && beta === null;
      return {
        result: { formalMd5: formal?.md5 ?? null, betaMd5: beta?.md5 ?? null, confirmed, betaStopped: stopped },
        before: { content: auditContent(before.content, before.type), md5: before.md5, ips: gray.ips },
        after: { content: auditContent(gray.content, gray.type), md5: formal?.md5 ?? null, betaMd5: beta?.md5 ?? null },
        versionBefore: before.md5,
        versionAfter: formal?.md5 ?? null,
        detail: { grayId: gray.id, confirmed },
        ...(confirmed ? {} : { outcome: "unknown" as const }),
      };
    });
  },
});
