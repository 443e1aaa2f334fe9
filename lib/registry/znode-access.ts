/**
 * What the znode browser's read and writes share: the environment's ZooKeeper client within
 * its registry root, path and size checks, scope, and the data kept in audit rows.
 */
import "server-only";
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { zookeeperClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, UpstreamError } from "@/lib/errors";
import { redactData } from "@/lib/redact";
import { validateZnodePath, type ZookeeperClient } from "@/lib/zookeeper/client";

/** Text up to this size is shown as text; larger or non-UTF-8 data comes as base64. */
const MAX_TEXT_BYTES = 65_536;

/** Data kept in the audit trail per side (before/after). */
const AUDIT_DATA_BYTES = 4_096;

/** ZooKeeper's default jute.maxbuffer is just under 1 MiB. */
export const MAX_DATA_CHARS = 1_048_576;

export const ZnodePath = z
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

export function decodeText(buf: Buffer): string | null {
  return buf.length <= MAX_TEXT_BYTES && isUtf8(buf) ? buf.toString("utf8") : null;
}

export function scopeOf(row: EnvironmentRow) {
  // ZooKeeper has no namespaces: the registry counts as the public namespace (as for services).
  return { environment: { name: row.name, labels: row.labels }, namespace: "public" };
}

const notZookeeper = () => new AppError("VALIDATION", "not a ZooKeeper environment", { fields: [{ field: "environment", message: "this environment has no ZooKeeper registry" }] });

function clientFor(row: EnvironmentRow): ZookeeperClient {
  const zk = zookeeperClientFor(row, { chroot: true });
  if (!zk) throw notZookeeper();
  return zk;
}

export async function withClient<T>(row: EnvironmentRow, fn: (zk: ZookeeperClient) => Promise<T>): Promise<T> {
  const zk = clientFor(row);
  try {
    return await fn(zk);
  } finally {
    await zk.close();
  }
}

export function notFound(row: EnvironmentRow, path: string): AppError {
  return new UpstreamError("NOT_FOUND", "zookeeper", `znode ${path} not found`, { environment: row.name, userMessage: `The node ${path} does not exist in ${row.name}.` });
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
export function auditData(path: string, version: number, buf: Buffer) {
  return { path, version, size: buf.length, ...redactData(buf, { maxBytes: AUDIT_DATA_BYTES, type: contentTypeOf(path) }) };
}

export async function znodeTarget(input: { environment: string; path: string }, actor: Actor) {
  const row = await resolveEnvironmentRow(actor, input.environment, "environment.read");
  return { kind: "znode", name: input.path, environment: { name: row.name, labels: row.labels }, namespace: "public" };
}

/** Only ZooKeeper environments; the root itself and ZooKeeper's own nodes are never changed from the console. */
export function assertWritable(row: EnvironmentRow, path: string): void {
  if (row.registry?.kind !== "zookeeper") throw notZookeeper();
  const root = row.registry.root.replace(/\/+$/, "");
  const abs = root + path;
  if (path === "/" || abs === "/zookeeper" || abs.startsWith("/zookeeper/")) {
    throw new AppError("VALIDATION", `refusing to change ${abs}`, { fields: [{ field: "path", message: "is the registry root or a reserved ZooKeeper node" }], userMessage: "The registry root and ZooKeeper's own nodes cannot be changed here." });
  }
}

export function staleVersion(row: EnvironmentRow, path: string, expected: number, current: number): AppError {
  return new UpstreamError("CONFLICT", "zookeeper", `znode ${path} is at version ${current}, not ${expected}`, {
    environment: row.name,
    details: { path, currentVersion: current },
    userMessage: `The node ${path} changed since you loaded it (now version ${current}). Reload to see the change.`,
  });
}
