import "server-only";
import { z } from "zod";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { defineOperation } from "@/lib/ops/define-operation";
import { invalidate } from "@/lib/registry/cache";
import { ZnodePath, assertWritable, auditData, notFound, staleVersion, withClient, znodeTarget } from "@/lib/registry/znode-access";
import { zookeeperCachePrefixes } from "@/lib/registry/zookeeper-services";

export const DeleteZnodeInput = z
  .object({
    environment: z.string().min(1),
    path: ZnodePath,
    expectedVersion: z.number().int().min(0).max(0x7fffffff),
  })
  .strict();

export type DeleteZnodeInput = z.infer<typeof DeleteZnodeInput>;

/**
 * Deletes a znode without children if it is still at `expectedVersion`. Who may: admins
 * (registry.znode.write, global). Stale version or children → CONFLICT, nothing removed.
 * Audited with the data it had (4 KiB at most).
 */
export const deleteZnode = defineOperation({
  action: "registry.znode.delete",
  permission: "registry.znode.write",
  hideWhenUnreadable: "service.read",
  input: DeleteZnodeInput,
  target: (input, ctx) => znodeTarget(input, ctx.actor),
  async run(input, ctx) {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    assertWritable(row, input.path);
    const before = await withClient(row, async (zk) => {
      const current = await zk.getData(input.path);
      if (!current) throw notFound(row, input.path);
      if (current.stat.version !== input.expectedVersion) throw staleVersion(row, input.path, input.expectedVersion, current.stat.version);
      await zk.remove(input.path, input.expectedVersion);
      return current;
    });
    for (const p of zookeeperCachePrefixes(row.name)) invalidate(p);
    return {
      result: { path: input.path, deleted: true },
      before: auditData(input.path, before.stat.version, before.data),
      after: null,
      versionBefore: String(before.stat.version),
      versionAfter: null,
    };
  },
});
