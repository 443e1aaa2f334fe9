import "server-only";
import { databaseHandle } from "@/lib/database";
import type { Database } from "@/db/client";
import { migrationUrlFromEnv } from "@/db/migrate";
import { reconcileOutcomes, writeCheckpoint } from "@/lib/audit/maintenance";
import { serverEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { countJobRun } from "@/lib/metrics/registry";
import { watchPool } from "@/lib/metrics/pool";
import { appSecret, encryptionKey } from "@/lib/secret";

export async function startup(): Promise<void> {
  try {
    serverEnv();
    appSecret();
    // docs/security.md 38: validated, apart from the secret, required on PostgreSQL in production.
    encryptionKey();
    migrationUrlFromEnv();
  } catch (e) {
    // Not through the logger's JSON only: an operator reading a failed start needs the sentence.
    process.stderr.write(`\nSwitchyard cannot start: ${e instanceof Error ? e.message : String(e)}\n\n`);
    process.exit(1);
  }
  try {
    const handle = await databaseHandle();
    logger.info("database ready", { kind: handle.kind });
    watchPool(handle);
    startAuditJobs(handle.db);
    startFeatureJobs(handle.db);
    await adoptLegacyCredentials(handle.db);
    if (process.env.SWITCHYARD_ENVIRONMENTS_FILE) {
      const { provisionEnvironments } = await import("@/lib/environments/provision");
      await provisionEnvironments(process.env.SWITCHYARD_ENVIRONMENTS_FILE);
    }
  } catch (e) {
    // The process stays up: /api/ready reports 503 and the next request retries.
    logger.error("database not ready at start", { err: e });
  }
}

/**
 * Credentials an older release encrypted under the session secret move to the credential
 * key (lib/environments/rekey.ts), so upgrading loses none. What opens with neither key is
 * named in the log; those environments answer 500 until their credentials are re-entered.
 */
async function adoptLegacyCredentials(db: Database): Promise<void> {
  try {
    const { adoptLegacyEncryptedCredentials } = await import("@/lib/environments/rekey");
    const report = await adoptLegacyEncryptedCredentials(db);
    if (report.count > 0) logger.warn("stored credentials moved from the session secret to SWITCHYARD_ENCRYPTION_KEY", { environments: report.environments });
    if (report.unreadable.length > 0) logger.error("stored credentials do not open with SWITCHYARD_ENCRYPTION_KEY; re-enter them", { environments: report.unreadable });
  } catch (e) {
    logger.error("could not check stored credentials against the credential key", { err: e });
  }
}

/**
 * Background audit jobs of this replica: outcome reconciliation (docs/security.md §19) and head
 * checkpoints outside the database. Failures are logged and retried next round.
 */
function startAuditJobs(db: Database): void {
  const minutes = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const reconcileEvery = minutes("SWITCHYARD_AUDIT_RECONCILE_MINUTES", 5) * 60_000;
  const unknownAfter = minutes("SWITCHYARD_AUDIT_UNKNOWN_AFTER_MINUTES", 15) * 60_000;
  const checkpointEvery = minutes("SWITCHYARD_AUDIT_CHECKPOINT_MINUTES", 60) * 60_000;
  setInterval(() => {
    reconcileOutcomes(db, unknownAfter).then(
      (n) => (countJobRun("audit-reconcile", "ok"), n > 0 && logger.warn("audit intents without outcome marked unknown", { count: n })),
      (e: unknown) => (countJobRun("audit-reconcile", "error"), logger.error("audit reconciliation failed", { err: e })),
    );
  }, reconcileEvery).unref();
  setInterval(() => {
    writeCheckpoint(db).then(
      () => countJobRun("audit-checkpoint", "ok"),
      (e: unknown) => (countJobRun("audit-checkpoint", "error"), logger.error("audit checkpoint failed", { err: e })),
    );
  }, checkpointEvery).unref();
}

/**
 * Background jobs of the feature areas (gray-release deadlines, fault-injection deadlines, the
 * overview sampler). Each runs on every replica and does its work at most once across replicas
 * (a conditional UPDATE … WHERE state = 'active' RETURNING, or a unique key with ON CONFLICT DO
 * NOTHING, or pg_try_advisory_xact_lock). One line per job; failures are logged, retried next round.
 */
function startFeatureJobs(db: Database): void {
  void db;
  void import("@/lib/overview/sampler").then((m) => m.startOverviewSampler(db), (e: unknown) => logger.error("overview sampler did not start", { err: e }));
  void import("@/lib/mesh/fault-deadlines").then((m) => m.startFaultDeadlines(db), (e: unknown) => logger.error("fault deadlines job did not start", { err: e }));
  void import("@/lib/configs/gray-deadline").then((m) => m.startGrayDeadlineJob(db), (e: unknown) => logger.error("gray deadline job did not start", { err: e }));
}
