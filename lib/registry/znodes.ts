/**
 * The raw znode browser of a ZooKeeper environment. Paths are relative to the environment's
 * registry root (a client-side chroot), so one environment never reaches another's nodes on a
 * shared ensemble. Reading needs registry.znode.read in scope (operators and up; 404 outside
 * service.read scope); writing and deleting are audited operations for admins
 * (registry.znode.write), compare-and-set on the znode version you loaded.
 */
import "server-only";
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { zookeeperClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, UpstreamError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";
import { redactData } from "@/lib/redact";
import { invalidate } from "@/lib/registry/cache";
import { zookeeperCachePrefixes } from "@/lib/registry/zookeeper-services";
import { validateZnodePath, type ZookeeperClient, type ZnodeStat } from "@/lib/zookeeper/client";

/** Text up to this size is shown as text; larger or non-UTF-8 data comes as base64. */
const MAX_TEXT_BYTES = 65_536;
/** Data kept in the audit trail per side (before/after). */
const AUDIT_DATA_BYTES = 4_096;
/** ZooKeeper's default jute.maxbuffer is just under 1 MiB. */
const MAX_DATA_CHARS = 1_048_576;

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

const ZnodePath = z
  .string()
  .max(4096)
  .refine((p) => {
    try {
      validateZnodePath(p);
      return true;
    } catch {
      return false;
    }
  }, "must be an absolute znode path without empty, . or .. segments");

function decodeText(buf: Buffer): string | null {
  return buf.length <= MAX_TEXT_BYTES && isUtf8(buf) ? buf.toString("utf8") : null;
}

function scopeOf(row: EnvironmentRow) {
  // ZooKeeper has no namespaces: the registry counts as the public namespace (as for services).
  return { environment: { name: row.name, labels: row.labels }, namespace: "public" };
}

const notZookeeper = () => new AppError("VALIDATION", "not a ZooKeeper environment", { fields: [{ field: "environment", message: "this environment has no ZooKeeper registry" }] });

function clientFor(row: EnvironmentRow): ZookeeperClient {
  const zk = zookeeperClientFor(row, { chroot: true });
  if (!zk) throw notZookeeper();
  return zk;
}

async function withClient<T>(row: EnvironmentRow, fn: (zk: ZookeeperClient) => Promise<T>): Promise<T> {
  const zk = clientFor(row);
  try {
    return await fn(zk);
  } finally {
    await zk.close();
  }
}

function notFound(row: EnvironmentRow, path: string): AppError {
  return new UpstreamError("NOT_FOUND", "zookeeper", `znode ${path} not found`, { environment: row.name, userMessage: `The node ${path} does not exist in ${row.name}.` });
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

/** A format named by the node's name (Dubbo keeps `dubbo.properties` as a znode); else sniffed. */
function contentTypeOf(path: string): string | undefined {
  return /\.(ya?ml|json|properties|xml|toml)$/i.exec(path)?.[1]?.toLowerCase();
}

/**
 * What the audit keeps of a znode's data: at most 4 KiB, redacted by format before the cut
 * (docs/security.md). Text as text; bytes that are text in another encoding (Latin-1) as
 * redacted text when they held a secret, marked `{ encoding, redacted: true }`, never as the
 * base64 that would carry it; binary as base64 with secret-looking runs redacted.
 */
function auditData(path: string, version: number, buf: Buffer) {
  return { path, version, size: buf.length, ...redactData(buf, { maxBytes: AUDIT_DATA_BYTES, type: contentTypeOf(path) }) };
}

async function znodeTarget(input: { environment: string; path: string }, actor: Actor) {
  const row = await resolveEnvironmentRow(actor, input.environment, "environment.read");
  return { kind: "znode", name: input.path, environment: { name: row.name, labels: row.labels }, namespace: "public" };
}

/** Only ZooKeeper environments; the root itself and ZooKeeper's own nodes are never changed from the console. */
function assertWritable(row: EnvironmentRow, path: string): void {
  if (row.registry?.kind !== "zookeeper") throw notZookeeper();
  const root = row.registry.root.replace(/\/+$/, "");
  const abs = root + path;
  if (path === "/" || abs === "/zookeeper" || abs.startsWith("/zookeeper/")) {
    throw new AppError("VALIDATION", `refusing to change ${abs}`, { fields: [{ field: "path", message: "is the registry root or a reserved ZooKeeper node" }], userMessage: "The registry root and ZooKeeper's own nodes cannot be changed here." });
  }
}

function staleVersion(row: EnvironmentRow, path: string, expected: number, current: number): AppError {
  return new UpstreamError("CONFLICT", "zookeeper", `znode ${path} is at version ${current}, not ${expected}`, {
    environment: row.name,
    details: { path, currentVersion: current },
    userMessage: `The node ${path} changed since you loaded it (now version ${current}). Reload to see the change.`,
  });
}

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
