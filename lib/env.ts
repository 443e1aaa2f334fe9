/**
 * The console's configuration, read once from process.env and validated (zod at every
 * boundary). README.md documents each variable.
 */
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const ServerEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  SWITCHYARD_DATA_DIR: z.string().default(".data"),
  SWITCHYARD_SECRET: z.string().optional(),
  SWITCHYARD_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  SWITCHYARD_COOKIE_SECURE: bool.default(true),
  SWITCHYARD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  SWITCHYARD_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  SWITCHYARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  SWITCHYARD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SWITCHYARD_DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = ServerEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetServerEnvCache(): void {
  cached = undefined;
}

export function dataDir(): string {
  return path.resolve(serverEnv().SWITCHYARD_DATA_DIR);
}

/** Production = built for production and pointed at a real PostgreSQL. */
export function isProductionDeployment(env: ServerEnv = serverEnv()): boolean {
  return env.NODE_ENV === "production" && Boolean(env.DATABASE_URL);
}
