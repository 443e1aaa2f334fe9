import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Personal API tokens. Only a SHA-256 of the secret is stored; the token is shown once.
 * An optional scope narrows (never widens) the owner's grants.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    environmentSelector: text("environment_selector").notNull().default("*"),
    namespacePattern: text("namespace_pattern").notNull().default("*"),
    readOnly: text("read_only", { enum: ["yes", "no"] }).notNull().default("no"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, precision: 3 }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** Failed sign-ins per key ("user:<name>" / "ip:<addr>") in a sliding window, shared by replicas. */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamp("window_start", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, precision: 3 }),
});
