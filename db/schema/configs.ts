import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** How a gray release chose its instances (lib/configs/gray-rule.ts resolves it to IPs). */
export type GrayRule =
  | { kind: "ips"; ips: string[] }
  | { kind: "labels"; service: string; serviceGroup: string; selector: Record<string, string> }
  | { kind: "percentage"; service: string; serviceGroup: string; percentage: number }
  | { kind: "count"; service: string; serviceGroup: string; count: number };

/**
 * Gray (beta) releases the console started on a Nacos config: the content served to `ips`
 * only, the rule that chose them, and how it ended. At most one `active` row per config
 * (partial unique index). `deadline`: after it the console aborts the release as the system
 * actor, once across replicas (conditional UPDATE … WHERE state = 'active'). Hand-written in
 * db/migrations/0007_configs.sql.
 */
export const configGrayReleases = pgTable(
  "config_gray_releases",
  {
    id: text("id").primaryKey(),
    environment: text("environment").notNull(),
    /** "" is Nacos' public namespace. */
    namespace: text("namespace").notNull(),
    group: text("group_name").notNull(),
    dataId: text("data_id").notNull(),
    type: text("type").notNull(),
    content: text("content").notNull(),
    md5: text("md5").notNull(),
    /** The formal md5 when the gray started: promote is CAS-guarded by the formal md5 it shows. */
    baseMd5: text("base_md5"),
    rule: jsonb("rule").$type<GrayRule>().notNull(),
    ips: jsonb("ips").$type<string[]>().notNull(),
    state: text("state", { enum: ["active", "promoted", "aborted", "expired"] }).notNull().default("active"),
    creatorId: text("creator_id").notNull(),
    creatorName: text("creator_name").notNull(),
    deadline: timestamp("deadline", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true, precision: 3 }),
    endedBy: text("ended_by"),
  },
  (t) => [
    uniqueIndex("config_gray_releases_one_active_uq").on(t.environment, t.namespace, t.group, t.dataId).where(sql`"state" = 'active'`),
    index("config_gray_releases_env_ns_idx").on(t.environment, t.namespace, t.state),
    index("config_gray_releases_deadline_idx").on(t.deadline).where(sql`"state" = 'active' AND "deadline" IS NOT NULL`),
  ],
);
export type ConfigGrayReleaseRow = typeof configGrayReleases.$inferSelect;
