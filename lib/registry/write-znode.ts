import "server-only";
import { z } from "zod";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { defineOperation } from "@/lib/ops/define-operation";
import { invalidate } from "@/lib/registry/cache";
import { MAX_DATA_CHARS, ZnodePath, assertWritable, auditData, notFound, staleVersion, withClient, znodeTarget } from "@/lib/registry/znode-access";
import { zookeeperCachePrefixes } from "@/lib/registry/zookeeper-services";

export const WriteZnodeInput = z
  .object({
    environment: z.string().min(1),
    path: ZnodePath,
    data: z.string().max(MAX_DATA_CHARS),
    expectedVersion: z.number().int().min(0).max(0x7fffffff).optional(),
    create: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => (v.expectedVersion === undefined) !== (v.create === undefined), {
    message: "give the expectedVersion you loaded, or create: true for a new node",
    path: ["expectedVersion"],
  });

export type WriteZnodeInput = z.infer<typeof WriteZnodeInput>;

/**
 * Sets a znode's data if it is still at `expectedVersion`, or creates a persistent node
 * (`create: true`; its parent must exist). Who may: admins (registry.znode.write, global).
 * Stale version or existing node → CONFLICT, nothing written. Audited with the data before
 * and after (4 KiB each at most).
 */
export const writeZnode = defineOperation({
  action: "registry.znode.write",
  permission: "registry.znode.write",
  hideWhenUnreadable: "service.read",
  input: WriteZnodeInput,
  target: (input, ctx) => znodeTarget(input, ctx.actor),
  async run(input, ctx) {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    assertWritable(row, input.path);
    const data = Buffer.from(input.data, "utf8");
    const result = await withClient(row, async (zk) => {
      if (input.create) {
        await zk.create(input.path, data, { mode: "persistent" });
        const stat = await zk.exists(input.path);
        return { path: input.path, stat, before: null };
      }
      const current = await zk.getData(input.path);
      if (!current) throw notFound(row, input.path);
      if (current.stat.version !== input.expectedVersion) throw staleVersion(row, input.path, input.expectedVersion!, current.stat.version);
      const stat = await zk.setData(input.path, data, input.expectedVersion);
      return { path: input.path, stat, before: current };
    });
    for (const p of zookeeperCachePrefixes(row.name)) invalidate(p);
    const versionAfter = result.stat?.version ?? 0;
    return {
      result: { path: result.path, stat: result.stat },
      before: result.before ? auditData(input.path, result.before.stat.version, result.before.data) : null,
      after: auditData(input.path, versionAfter, data),
      versionBefore: result.before ? String(result.before.stat.version) : null,
      versionAfter: String(versionAfter),
    };
  },
});
