import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * People who can sign in. Local accounts carry a scrypt hash; LDAP users are keyed by their
 * DN (external_id), never by mail (SECURITY.md 12).
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    source: text("source", { enum: ["local", "ldap"] }).notNull(),
    externalId: text("external_id"),
    passwordHash: text("password_hash"),
    disabled: boolean("disabled").notNull().default(false),
    locale: text("locale", { enum: ["en", "zh-CN"] }),
    theme: text("theme", { enum: ["light", "dark", "system"] }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true, precision: 3 }),
    /** LDAP group DNs at the last sign-in or refresh; roles are recomputed from them. */
    ldapGroups: jsonb("ldap_groups").$type<string[]>().notNull().default([]),
    groupsRefreshedAt: timestamp("groups_refreshed_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex("users_source_username_uq").on(t.source, t.username),
    uniqueIndex("users_external_id_uq").on(t.externalId),
    index("users_username_idx").on(t.username),
  ],
);
export type UserRow = typeof users.$inferSelect;
