import { integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * A named target (e.g. prod-hz-j) with its connections. Non-secret connection facts are
 * plain JSON; credentials live only in `secrets`, AES-256-GCM encrypted with a key bound to
 * the environment id (lib/environments/crypto.ts), and are never returned by any API.
 */
export const environments = pgTable(
  "environments",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    registry: jsonb("registry").$type<RegistryConnection | null>(),
    kubernetes: jsonb("kubernetes").$type<KubernetesConnection | null>(),
    prometheusUrl: text("prometheus_url"),
    secrets: text("secrets"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("environments_name_uq").on(t.name)],
);
export type EnvironmentRow = typeof environments.$inferSelect;

export type RegistryConnection =
  | { kind: "nacos"; url: string; username?: string; namespaces: string[] }
  | { kind: "zookeeper"; hosts: string; layout: "dubbo" | "spring-cloud"; root: string };

export interface KubernetesConnection {
  apiUrl: string;
  caPem?: string;
  /** Which credential is stored in `secrets`: a client certificate + key, or a bearer token. */
  auth: "client-certificate" | "bearer-token";
  clientCertPem?: string;
}
