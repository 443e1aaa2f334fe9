import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The append-only audit log. Created by a hand-written migration (db/migrations/*_audit.sql)
 * because it is range-partitioned by month and guarded by triggers, which drizzle-kit does not
 * generate; this definition is for typed queries only and is not in drizzle.config.ts.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3, mode: "string" }).notNull(),
    requestId: text("request_id").notNull(),
    phase: text("phase", { enum: ["intent", "outcome"] }).notNull(),
    outcome: text("outcome", { enum: ["succeeded", "failed", "conflict", "denied", "unknown", "partial"] }),
    action: text("action").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    actorSource: text("actor_source").notNull(),
    actorRoles: jsonb("actor_roles").notNull(),
    tokenId: text("token_id"),
    environment: text("environment"),
    namespace: text("namespace"),
    targetKind: text("target_kind"),
    targetName: text("target_name"),
    versionBefore: text("version_before"),
    versionAfter: text("version_after"),
    before: jsonb("before"),
    after: jsonb("after"),
    detail: jsonb("detail"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_events_created_idx").on(t.createdAt, t.id)],
);
export type AuditEventRow = typeof auditEvents.$inferSelect;

export const auditChainHead = pgTable("audit_chain_head", {
  singleton: text("singleton").primaryKey(),
  lastId: bigint("last_id", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
});

export const auditAnchors = pgTable("audit_anchors", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  purgedThroughId: bigint("purged_through_id", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
  partitions: jsonb("partitions").notNull(),
  purgedAt: timestamp("purged_at", { withTimezone: true, precision: 3, mode: "string" }).notNull(),
  purgedBy: text("purged_by").notNull(),
});
