import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema and applied by lib code (db/migrate.ts) on both
// PGlite and PostgreSQL; drizzle-kit never talks to a database here.
export default defineConfig({
  dialect: "postgresql",
  // audit.ts is created by a hand-written migration (partitions, triggers) and left out here.
  schema: ["./db/schema/users.ts", "./db/schema/sessions.ts", "./db/schema/role-bindings.ts", "./db/schema/tokens.ts", "./db/schema/environments.ts"],
  out: "./db/migrations",
});
