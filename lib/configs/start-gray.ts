import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { configGrayReleases } from "@/db/schema";
import { configCenterFor, configTarget } from "@/lib/configs/access";
import { configKeyOf, GrayRuleInput, resolveRule } from "@/lib/configs/gray";
import { activeGray, storedNamespace } from "@/lib/configs/gray-store";
import { withConfigLock } from "@/lib/configs/key-lock";
import { assertValidContent, auditContent, ConfigRefInput, ConfigType, Content, Md5Param } from "@/lib/configs/publishing";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const StartGrayInput = ConfigRefInput.extend({
  type: ConfigType,
  content: Content,
  rule: GrayRuleInput,
  /** The resolved IPs the operator confirmed: a rule that resolves differently now is a 409. */
  expectedIps: z.array(z.string()).max(1000).optional(),
  /** The formal md5 the draft was edited from. */
  baseMd5: Md5Param.optional(),
  /** Abort automatically after this many minutes (the console does it as the system actor). */
  deadlineMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
}).strict();

/**
 * Starts a gray release: the draft is served by Nacos (beta publish) only to the IPs the rule
 * resolves to, recorded in config_gray_releases with its rule, IPs, creator and deadline. One
 * active gray per config (409 otherwise, also when Nacos already serves a beta the console did
 * not start). Who may: config.gray in scope (tier=prod: operator). Audited with the gray content
 * (secrets redacted) and the IPs.
 */
export const startGray = defineOperation({
  action: "config.gray.start",
  permission: "config.gray",
  hideWhenUnreadable: "config.read",
  input: StartGrayInput,
  target: (input, ctx) => configTarget(input, ctx, { action: "config.gray.start", permission: "config.gray" }),
  async run(input, ctx) {
    assertValidContent(input.type, input.content);
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.gray");
    const key = { namespace: input.namespace, group: input.group, dataId: input.dataId };
    return withConfigLock({ environment: row.name, ...key }, async () => {
      if (await activeGray(ctx.db, { environment: row.name, ...key })) {
        throw new AppError("CONFLICT", "a gray release is already active", { userMessage: `Config ${input.group}/${input.dataId} already has an active gray release: widen, promote or abort it.` });
      }
      const [formal, beta] = await Promise.all([client.getConfig(key), client.getBetaConfig(key)]);
      if (!formal) throw new AppError("NOT_FOUND", `config ${input.group}/${input.dataId} not found`, { userMessage: `Config ${input.group}/${input.dataId} has no formal version to gray-release against.` });
      if (beta) {
        throw new AppError("CONFLICT", "Nacos already serves a beta of this config", {
          userMessage: `Nacos already serves a beta of ${input.group}/${input.dataId} (to ${beta.betaIps.join(", ")}) that the console did not start; stop it in Nacos first.`,
        });
      }
      const resolved = await resolveRule(ctx.actor, row, client, input.namespace, input.rule, configKeyOf(input.namespace, input.group, input.dataId));
      if (resolved.ips.length === 0) throw new AppError("VALIDATION", "the rule chooses no instance", { fields: [{ field: "rule", message: "the rule chooses no instance" }] });
      if (input.expectedIps && [...input.expectedIps].sort().join(",") !== [...resolved.ips].sort().join(",")) {
        throw new AppError("CONFLICT", "the rule resolves to other IPs now", { userMessage: "The rule resolves to other instances than the ones you confirmed; resolve it again.", details: { ips: resolved.ips } });
      }
      const md5 = await client.publishConfig({ ...key, content: input.content, type: input.type, betaIps: resolved.ips });
      const id = randomUUID();
      await ctx.db.insert(configGrayReleases).values({
        id,
        environment: row.name,
        namespace: storedNamespace(input.namespace),
        group: input.group,
        dataId: input.dataId,
        type: input.type,
        content: input.content,
        md5,
        baseMd5: formal.md5,
        rule: input.rule,
        ips: resolved.ips,
        creatorId: ctx.actor.id,
        creatorName: ctx.actor.username,
        deadline: input.deadlineMinutes ? new Date(Date.now() + input.deadlineMinutes * 60_000) : null,
      });
      return {
        result: { id, md5, ips: resolved.ips, candidates: resolved.candidates },
        before: { formalMd5: formal.md5 },
        after: { content: auditContent(input.content, input.type), type: input.type, md5, ips: resolved.ips, rule: input.rule },
        versionBefore: formal.md5,
        versionAfter: md5,
        detail: { grayId: id, ips: resolved.ips, ...(input.deadlineMinutes ? { deadlineMinutes: input.deadlineMinutes } : {}) },
      };
    });
  },
});
