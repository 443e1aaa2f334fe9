import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Revisions of Kubernetes objects the console wrote (any kind: Istio, Gateway API, Higress),
 * one row per write, numbered per object. `object` is what was stored (metadata labels and
 * annotations, spec), null for a deletion. An `observed` row records the live object found
 * before a write when the console had not seen that version (created or changed outside it),
 * so a rollback can return to it. Hand-written in db/migrations/0008_mesh.sql.
 */
export const kubeObjectRevisions = pgTable(
  "kube_object_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    environment: text("environment").notNull(),
    kind: text("kind").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    revision: integer("revision").notNull(),
    operation: text("operation", { enum: ["apply", "delete", "rollback", "revert", "observed"] }).notNull(),
    resourceVersion: text("resource_version"),
    object: jsonb("object").$type<Record<string, unknown> | null>(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    requestId: text("request_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("kube_object_revisions_object_rev_uq").on(t.environment, t.kind, t.namespace, t.name, t.revision),
    index("kube_object_revisions_env_ns_idx").on(t.environment, t.namespace),
  ],
);
export type KubeObjectRevisionRow = typeof kubeObjectRevisions.$inferSelect;

/**
 * Fault injections with a deadline: after `revertAt` the console puts `restore` back on the
 * VirtualService (as the system actor), exactly once across replicas — the job claims a row
 * with a conditional UPDATE … WHERE state = 'active' RETURNING.
 */
export const meshFaultDeadlines = pgTable(
  "mesh_fault_deadlines",
  {
    id: text("id").primaryKey(),
    environment: text("environment").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    /** The VirtualService as it was before the fault was added (metadata labels/annotations + spec). */
    restore: jsonb("restore").$type<Record<string, unknown>>().notNull(),
    /** resourceVersion written by the fault injection: the revert is guarded by it. */
    injectedResourceVersion: text("injected_resource_version").notNull(),
    revertAt: timestamp("revert_at", { withTimezone: true, precision: 3 }).notNull(),
    state: text("state", { enum: ["active", "reverting", "reverted", "skipped", "failed"] }).notNull().default("active"),
    requestId: text("request_id").notNull(),
    actorName: text("actor_name").notNull(),
    result: jsonb("result").$type<Record<string, unknown> | null>(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [index("mesh_fault_deadlines_due_idx").on(t.state, t.revertAt)],
);
export type MeshFaultDeadlineRow = typeof meshFaultDeadlines.$inferSelect;
