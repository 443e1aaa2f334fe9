import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * People who can sign in. Local accounts carry a scrypt hash. LDAP users are keyed by their
 * entry's entryUUID (external_id), never by DN or mail: a renamed entry stays the same user,
 * a re-created DN is a new one (docs/security.md §12). ldap_dn is where the
 * entry was last seen. Rows from before entryUUID keying have external_id = ldap_dn until
 * their next sign-in.
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
    /** The LDAP entry's DN when last read. */
    ldapDn: text("ldap_dn"),
    /** Last time the directory confirmed the groups (sign-in or refresh); roles lapse when too old. */
    groupsVerifiedAt: timestamp("groups_verified_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex("users_source_username_uq").on(t.source, t.username),
    uniqueIndex("users_external_id_uq").on(t.externalId),
    index("users_username_idx").on(t.username),
  ],
);
export type UserRow = typeof users.$inferSelect;
