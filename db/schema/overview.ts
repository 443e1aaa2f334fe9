import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { environments } from "./environments";

/**
 * Registry counts per environment and namespace: one `minute` row per minute for the last
 * 24 hours, then one `hour` row (averages) per hour for 30 days (lib/overview/sampler.ts).
 * Hand-written in db/migrations/0009_overview.sql.
 */
export const overviewSamples = pgTable(
  "overview_samples",
  {
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    namespace: text("namespace").notNull(),
    resolution: text("resolution", { enum: ["minute", "hour"] }).notNull(),
    bucket: timestamp("bucket", { withTimezone: true, precision: 3 }).notNull(),
    zone: text("zone").notNull(),
    services: integer("services").notNull(),
    instances: integer("instances").notNull(),
    healthy: integer("healthy").notNull(),
    unhealthy: integer("unhealthy").notNull(),
    disabled: integer("disabled").notNull(),
    sampledBy: text("sampled_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.namespace, t.resolution, t.bucket] }), index("overview_samples_bucket_idx").on(t.resolution, t.bucket)],
);
export type OverviewSampleRow = typeof overviewSamples.$inferSelect;

/** The sampler's lease (one row, id 1): which replica samples, until when. */
export const overviewSamplerLease = pgTable("overview_sampler_lease", {
  id: integer("id").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
});
