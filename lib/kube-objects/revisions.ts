import "server-only";
/**
 * Revisions of Kubernetes objects in PostgreSQL (db/schema/mesh.ts, any kind): one row per
 * write the console made, plus `observed` rows for versions it found live but had not written
 * (created or changed outside it), so every rollback target is on record.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { kubeObjectRevisions, type KubeObjectRevisionRow } from "@/db/schema";
import type { DbLike } from "@/lib/database";

export interface ObjectKey {
  environment: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface RevisionView {
  revision: number;
  operation: KubeObjectRevisionRow["operation"];
  resourceVersion: string | null;
  actor: string;
  requestId: string;
  createdAt: string;
  /** Absent in lists (fetch one revision for it); null for a deletion. */
  object?: Record<string, unknown> | null;
}

const where = (k: ObjectKey) =>
  and(eq(kubeObjectRevisions.environment, k.environment), eq(kubeObjectRevisions.kind, k.kind), eq(kubeObjectRevisions.namespace, k.namespace), eq(kubeObjectRevisions.name, k.name));

export function toRevisionView(r: KubeObjectRevisionRow, withObject: boolean): RevisionView {
  return {
    revision: r.revision,
    operation: r.operation,
    resourceVersion: r.resourceVersion,
    actor: r.actorName,
    requestId: r.requestId,
    createdAt: r.createdAt.toISOString(),
    ...(withObject ? { object: r.object ?? null } : {}),
  };
}

export async function latestRevision(db: DbLike, key: ObjectKey): Promise<KubeObjectRevisionRow | undefined> {
  const [row] = await db.select().from(kubeObjectRevisions).where(where(key)).orderBy(desc(kubeObjectRevisions.revision)).limit(1);
  return row;
}

export async function listRevisionRows(db: DbLike, key: ObjectKey, limit = 100): Promise<KubeObjectRevisionRow[]> {
  return db.select().from(kubeObjectRevisions).where(where(key)).orderBy(desc(kubeObjectRevisions.revision)).limit(limit);
}

export async function revisionRow(db: DbLike, key: ObjectKey, revision: number): Promise<KubeObjectRevisionRow | undefined> {
  const [row] = await db.select().from(kubeObjectRevisions).where(and(where(key), eq(kubeObjectRevisions.revision, revision))).limit(1);
  return row;
}

export interface NewRevision {
  operation: KubeObjectRevisionRow["operation"];
  resourceVersion: string | null;
  object: Record<string, unknown> | null;
  actorId: string;
  actorName: string;
  requestId: string;
}

/** Appends the next revision of the object (numbered in the same statement; a race retries once). */
export async function appendRevision(db: DbLike, key: ObjectKey, rev: NewRevision): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await db
        .insert(kubeObjectRevisions)
        .values({
          ...key,
          ...rev,
          revision: sql`(SELECT coalesce(max(${kubeObjectRevisions.revision}), 0) + 1 FROM ${kubeObjectRevisions} WHERE ${where(key)})`,
        })
        .returning({ revision: kubeObjectRevisions.revision });
      return rows[0]!.revision;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}
