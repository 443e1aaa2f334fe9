import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Who holds which role where: subject (a user id, or an LDAP group DN) × role × scope.
 * Scope: an environment label selector ("tier=prod,site=hz"; "*" = every environment) and a
 * namespace glob ("*", "team-a-*").
 */
export const roleBindings = pgTable(
  "role_bindings",
  {
    id: text("id").primaryKey(),
    subjectKind: text("subject_kind", { enum: ["user", "group"] }).notNull(),
    subject: text("subject").notNull(),
    role: text("role", { enum: ["admin", "operator", "developer", "auditor", "viewer"] }).notNull(),
    environmentSelector: text("environment_selector").notNull().default("*"),
    namespacePattern: text("namespace_pattern").notNull().default("*"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [index("role_bindings_subject_idx").on(t.subjectKind, t.subject)],
);
export type RoleBindingRow = typeof roleBindings.$inferSelect;
