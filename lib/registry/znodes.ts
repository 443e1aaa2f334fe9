/**
 * The raw znode browser of a ZooKeeper environment. Paths are relative to the environment's
 * registry root (a client-side chroot), so one environment never reaches another's nodes on a
 * shared ensemble. Reading needs registry.znode.read in scope (operators and up; 404 outside
 * service.read scope); writing and deleting are audited operations for admins
 * (registry.znode.write: write-znode.ts, delete-znode.ts), compare-and-set on the znode
 * version you loaded.
 */
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import { decodeText, notFound, scopeOf, withClient } from "@/lib/registry/znode-access";
import { validateZnodePath, type ZnodeStat } from "@/lib/zookeeper/client";

export interface ZnodeView {
  environment: string;
  /** The environment's registry root that `path` is relative to. */
  root: string;
  path: string;
  stat: ZnodeStat;
  /** UTF-8 text, or base64 when `binary`. */
  data: string;
  binary: boolean;
  /** Size of the data in bytes. */
  size: number;
  /** Child names, sorted. */
  children: string[];
}

/**
 * One znode: stat, data (text or base64) and sorted children. Who may: registry.znode.read
 * in the environment's scope (operators and up); 404 outside service.read scope, 403 for
 * roles that may read services but not raw znodes.
 */
export async function listZnode(actor: Actor, environment: string, path: string): Promise<ZnodeView> {
  const row = await resolveEnvironmentRow(actor, environment, "environment.read");
  const scope = scopeOf(row);
  if (!decide(actor.grants, "service.read", scope)) throw new AppError("NOT_FOUND", `registry of ${row.name} not visible`);
  if (!decide(actor.grants, "registry.znode.read", scope)) throw new AppError("FORBIDDEN", `${actor.username} lacks registry.znode.read in ${row.name}`, { details: { permission: "registry.znode.read" } });
  validateZnodePath(path);
  const root = row.registry?.kind === "zookeeper" ? row.registry.root : "/";
  return withClient(row, async (zk) => {
    const node = await zk.getData(path);
    if (!node) throw notFound(row, path);
    const children = (await zk.getChildren(path)) ?? [];
    const text = decodeText(node.data);
    return {
      environment: row.name,
      root,
      path,
      stat: node.stat,
      data: text ?? node.data.toString("base64"),
      binary: text === null,
      size: node.data.length,
      children,
    };
  });
}
