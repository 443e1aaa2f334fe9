import "server-only";
/**
 * Fault injections with a deadline are reverted by the console, as the system actor, exactly
 * once across replicas (docs/security.md §: "fault deadlines"): every replica polls, and a due
 * row is claimed by a conditional UPDATE … WHERE state = 'active' RETURNING — PostgreSQL lets
 * one replica's UPDATE take the row, and the other's re-checks the condition and finds nothing.
 * The revert is guarded like any write: when nobody changed the VirtualService since the
 * injection (same resourceVersion), the object as it was before is put back (or the object
 * deleted if the fault created it); when somebody did, only the fault is removed from what is
 * live now. Intent and outcome are audited; a revision `revert` is stored.
 */
import { randomUUID } from "node:crypto";
import { and, eq, lte } from "drizzle-orm";
import { meshFaultDeadlines, type MeshFaultDeadlineRow } from "@/db/schema";
import type { Database } from "@/lib/database";
import { auditTrail } from "@/lib/audit/trail";
import { SYSTEM_ACTOR } from "@/lib/auth/actor";
import { k8sClientFor } from "@/lib/environments/connect";
import { byName } from "@/lib/environments/environments";
import { isAppError } from "@/lib/errors";
import type { KubeObjectInput } from "@/lib/k8s/schemas";
import { appendRevision } from "@/lib/kube-objects/revisions";
import { editablePart, sameEditable } from "@/lib/kube-objects/model/diff";
import { logger } from "@/lib/logger";
import { fromKubeObject, withoutFault } from "@/lib/mesh/model/wizards";

const system = { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.username, source: SYSTEM_ACTOR.source, roles: [] };

export function faultPollMs(): number {
  const v = Number(process.env.SWITCHYARD_MESH_FAULT_POLL_MS);
  return Number.isFinite(v) && v >= 100 ? v : 5_000;
}

/** Claims the due deadlines for this replica; no other replica gets them. */
async function claimDue(db: Database, now: Date): Promise<MeshFaultDeadlineRow[]> {
  return db
    .update(meshFaultDeadlines)
    .set({ state: "reverting" })
    .where(and(eq(meshFaultDeadlines.state, "active"), lte(meshFaultDeadlines.revertAt, now)))
    .returning();
}

/** Reverts every due fault; returns how many this replica handled. */
export async function revertDueFaults(db: Database, now = new Date()): Promise<number> {
  const due = await claimDue(db, now);
  for (const row of due) await revertOne(db, row);
  return due.length;
}

async function revertOne(db: Database, row: MeshFaultDeadlineRow): Promise<void> {
  const requestId = randomUUID();
  const trail = auditTrail(db, {
    requestId,
    action: "mesh.policy.write",
    actor: system,
    environment: row.environment,
    namespace: row.namespace,
    targetKind: "VirtualService",
    targetName: row.name,
    clientIp: null,
    userAgent: null,
  });
  const finish = async (state: "reverted" | "skipped" | "failed", result: Record<string, unknown>) => {
    await db.update(meshFaultDeadlines).set({ state, result: { ...result, requestId }, doneAt: new Date() }).where(eq(meshFaultDeadlines.id, row.id));
  };
  const why = { reason: "fault injection deadline", deadlineId: row.id, injectedBy: row.actorName, injectedRequestId: row.requestId, revertAt: row.revertAt.toISOString() };
  try {
    await trail.intent(why, { message: "audit intent for a fault revert could not be written" });
  } catch (e) {
    // Nothing happened: leave it due for the next round.
    await db.update(meshFaultDeadlines).set({ state: "active" }).where(eq(meshFaultDeadlines.id, row.id));
    logger.error("fault revert not attempted: audit unavailable", { err: e, deadlineId: row.id });
    return;
  }
  const env = await byName(db, row.environment);
  const client = env ? k8sClientFor(env) : null;
  if (!env || !client) {
    await trail.outcome({ outcome: "failed", detail: { ...why, error: "environment or its Kubernetes connection no longer exists" } });
    await finish("failed", { error: "environment gone" });
    return;
  }
  try {
    const live = await client.get("VirtualService", row.namespace, row.name);
    if (!live) {
      await trail.outcome({ outcome: "succeeded", detail: { ...why, skipped: "the VirtualService no longer exists" } });
      await finish("skipped", { skipped: "deleted" });
      return;
    }
    const key = { environment: row.environment, kind: "VirtualService", namespace: row.namespace, name: row.name };
    const untouched = live.metadata.resourceVersion === row.injectedResourceVersion;
    const restore = row.restore as Record<string, unknown>;
    if (untouched && restore.absent === true) {
      await client.delete("VirtualService", row.namespace, row.name, { resourceVersion: live.metadata.resourceVersion });
      await appendRevision(db, key, { operation: "revert", resourceVersion: null, object: null, actorId: SYSTEM_ACTOR.id, actorName: SYSTEM_ACTOR.username, requestId });
      await trail.outcome({ outcome: "succeeded", before: editablePart(live), after: null, versionBefore: live.metadata.resourceVersion, detail: { ...why, mode: "deleted (the fault created it)" } });
      await finish("reverted", { mode: "deleted" });
      return;
    }
    const target = untouched ? (restore as KubeObjectInput) : (withoutFaultObject(live) as KubeObjectInput | null);
    if (!target || sameEditable(live, target)) {
      await trail.outcome({ outcome: "succeeded", detail: { ...why, skipped: "the fault was already removed" } });
      await finish("skipped", { skipped: "no fault" });
      return;
    }
    const metadata = { ...(target.metadata ?? {}), name: row.name, namespace: row.namespace, resourceVersion: live.metadata.resourceVersion };
    const written = await client.replace("VirtualService", row.namespace, row.name, { ...target, metadata });
    await appendRevision(db, key, { operation: "revert", resourceVersion: written.metadata.resourceVersion, object: editablePart(written) as Record<string, unknown>, actorId: SYSTEM_ACTOR.id, actorName: SYSTEM_ACTOR.username, requestId });
    await trail.outcome({
      outcome: "succeeded",
      before: editablePart(live),
      after: editablePart(written),
      versionBefore: live.metadata.resourceVersion,
      versionAfter: written.metadata.resourceVersion,
      detail: { ...why, mode: untouched ? "restored the object as it was before the fault" : "changed since the injection: removed only the fault" },
    });
    await finish("reverted", { mode: untouched ? "restored" : "fault removed" });
  } catch (e) {
    await trail.outcome({ outcome: isAppError(e) && e.code === "CONFLICT" ? "conflict" : "failed", detail: { ...why, error: isAppError(e) ? e.userMessage : "unexpected error" } });
    await finish("failed", { error: isAppError(e) ? e.code : "INTERNAL" });
    logger.error("fault revert failed", { err: e, deadlineId: row.id });
  } finally {
    client.close();
  }
}

function withoutFaultObject(live: Parameters<typeof editablePart>[0]): Record<string, unknown> | null {
  const w = fromKubeObject("VirtualService", live as never);
  if (!w) return null;
  const e = editablePart(live)!;
  return { ...e, spec: withoutFault(w).spec };
}

/** The job line of lib/startup.ts: every replica polls; each due row is reverted by one. */
export function startFaultDeadlines(db: Database): void {
  setInterval(() => {
    revertDueFaults(db).catch((e: unknown) => logger.error("fault deadline round failed", { err: e }));
  }, faultPollMs()).unref();
}
