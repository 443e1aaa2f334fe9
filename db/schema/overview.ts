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

/**
 * Objects with validation errors per environment, area (mesh, gateway) and Kubernetes namespace,
 * sampled once a minute (lib/overview/validation-sampler.ts); the hour rows are the last sample of
 * each hour, kept 30 days. Namespace '' is the sample's marker: NULL counts = not known.
 * Hand-written in db/migrations/0010_overview_validation.sql.
 */
export const overviewValidationSamples = pgTable(
  "overview_validation_samples",
  {
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    area: text("area", { enum: ["mesh", "gateway"] }).notNull(),
    namespace: text("namespace").notNull(),
    resolution: text("resolution", { enum: ["minute", "hour"] }).notNull(),
    bucket: timestamp("bucket", { withTimezone: true, precision: 3 }).notNull(),
    errors: integer("errors"),
    warnings: integer("warnings"),
    sampledBy: text("sampled_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.area, t.namespace, t.resolution, t.bucket] }), index("overview_validation_samples_bucket_idx").on(t.resolution, t.bucket)],
);
export type OverviewValidationSampleRow = typeof overviewValidationSamples.$inferSelect;
