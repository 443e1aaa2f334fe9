import "server-only";
/**
 * Fault injection on a VirtualService (the fault wizard), optionally with a deadline after which
 * the console reverts it (lib/mesh/fault-deadlines.ts), once across replicas, as the system actor.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { meshFaultDeadlines } from "@/db/schema";
import { editablePart } from "@/lib/kube-objects/model/diff";
import { defineOperation } from "@/lib/ops/define-operation";
import { MESH } from "./objects";

const FaultInput = z
  .object({
    environment: z.string().min(1).max(63),
    namespace: z.string().min(1).max(63),
    name: z.string().min(1).max(253),
    /** The VirtualService with the fault (from the wizard). */
    object: z.record(z.string(), z.unknown()),
    /** What the operator saw live; null to create. */
    resourceVersion: z.string().min(1).max(64).nullable(),
    /** Revert after this many seconds; null = the fault stays until removed. */
    deadlineSeconds: z.number().int().min(5).max(7 * 86_400).nullable(),
  })
  .strict();

/**
 * Writes the VirtualService carrying a fault (guarded like every apply) and, with a deadline,
 * records what to put back and when. Who: mesh.policy.write in scope. Audited mesh.policy.write
 * with the deadline in the outcome's detail; the revert is audited separately by the system actor.
 */
export const injectFault = defineOperation({
  action: "mesh.policy.write",
  permission: "mesh.policy.write",
  hideWhenUnreadable: "mesh.policy.read",
  input: FaultInput,
  target: (i, ctx) => MESH.targetFor({ ...i, kind: "VirtualService" }, ctx, "mesh.policy.write"),
  async run(i, ctx) {
    const ref = { kind: "VirtualService" as const, namespace: i.namespace, name: i.name };
    const r = await MESH.applyOne(ctx, { ...ref, environment: i.environment, object: i.object, resourceVersion: i.resourceVersion });
    let deadline: { id: string; revertAt: string } | null = null;
    if (i.deadlineSeconds !== null && r.written && !r.unchanged) {
      const revertAt = new Date(Date.now() + i.deadlineSeconds * 1000);
      const id = randomUUID();
      await ctx.db.insert(meshFaultDeadlines).values({
        id,
        environment: i.environment,
        namespace: i.namespace,
        name: i.name,
        restore: r.live ? (editablePart(r.live) as Record<string, unknown>) : { absent: true },
        injectedResourceVersion: r.written.metadata.resourceVersion,
        revertAt,
        requestId: ctx.requestId,
        actorName: ctx.actor.username,
      });
      deadline = { id, revertAt: revertAt.toISOString() };
    }
    const out = r.runResult;
    return { ...out, result: { ...out.result, deadline }, detail: { ...out.detail, deadline } };
  },
});
