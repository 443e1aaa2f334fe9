/**
 * Gray releases past their deadline are aborted by the console as the system actor, once across
 * replicas: each replica claims a row with a conditional UPDATE … WHERE state = 'active' AND
 * deadline <= now() RETURNING (only one UPDATE can win), then stops the beta in Nacos and writes
 * the intent and outcome rows (action config.gray.abort). If Nacos cannot be reached the claim is
 * given back (state active again), so a later round — on any replica — tries again; an abort is
 * never carried out twice.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { configGrayReleases, environments, type ConfigGrayReleaseRow } from "@/db/schema";
import { appendAuditEvent } from "@/lib/audit/record";
import { auditActor } from "@/lib/audit/trail";
import { SYSTEM_ACTOR } from "@/lib/auth/actor";
import type { Database } from "@/lib/database";
import { nacosClientFor } from "@/lib/environments/connect";
import { logger } from "@/lib/logger";

export const GRAY_DEADLINE_INTERVAL_MS = 15_000;

async function claim(db: Database): Promise<ConfigGrayReleaseRow[]> {
  return db
    .update(configGrayReleases)
    .set({ state: "expired", endedAt: new Date(), endedBy: SYSTEM_ACTOR.username, updatedAt: new Date() })
    .where(and(eq(configGrayReleases.state, "active"), isNotNull(configGrayReleases.deadline), lte(configGrayReleases.deadline, sql`now()`)))
    .returning();
}

/** One round: every gray release past its deadline that this replica claims is aborted. Returns how many. */
export async function abortExpiredGrays(db: Database): Promise<number> {
  const claimed = await claim(db);
  let done = 0;
  for (const gray of claimed) {
    const requestId = randomUUID();
    const base = {
      requestId,
      action: "config.gray.abort" as const,
      actor: auditActor(SYSTEM_ACTOR),
      environment: gray.environment,
      namespace: gray.namespace || "public",
      targetKind: "config",
      targetName: `${gray.group}/${gray.dataId}`,
    };
    const key = { namespace: gray.namespace, group: gray.group, dataId: gray.dataId };
    try {
      await appendAuditEvent(db, { ...base, phase: "intent", detail: { reason: "deadline passed", grayId: gray.id, deadline: gray.deadline?.toISOString() ?? null } });
      const [row] = await db.select().from(environments).where(eq(environments.name, gray.environment)).limit(1);
      const client = row ? nacosClientFor(row) : null;
      if (!client) throw new Error(`environment ${gray.environment} has no Nacos client`);
      await client.stopBeta(key);
      const beta = await client.getBetaConfig(key);
      await appendAuditEvent(db, {
        ...base,
        phase: "outcome",
        outcome: beta === null ? "succeeded" : "unknown",
        before: { md5: gray.md5, ips: gray.ips },
        after: { betaMd5: beta?.md5 ?? null },
        versionBefore: gray.md5,
        detail: { reason: "deadline passed", grayId: gray.id, state: "expired" },
      });
      done++;
    } catch (e) {
      // Give the claim back: a later round (here or on another replica) tries again.
      await db
        .update(configGrayReleases)
        .set({ state: "active", endedAt: null, endedBy: null, updatedAt: new Date() })
        .where(and(eq(configGrayReleases.id, gray.id), eq(configGrayReleases.state, "expired")))
        .catch(() => undefined);
      await appendAuditEvent(db, { ...base, phase: "outcome", outcome: "failed", detail: { reason: "deadline passed", grayId: gray.id, error: e instanceof Error ? e.message : String(e) } }).catch(() => undefined);
      logger.error("could not abort an expired gray release", { err: e, grayId: gray.id, environment: gray.environment });
    }
  }
  return done;
}

/** The replica's job (lib/startup.ts). */
export function startGrayDeadlineJob(db: Database): void {
  const every = Number(process.env.SWITCHYARD_GRAY_DEADLINE_INTERVAL_MS) > 0 ? Number(process.env.SWITCHYARD_GRAY_DEADLINE_INTERVAL_MS) : GRAY_DEADLINE_INTERVAL_MS;
  setInterval(() => {
    abortExpiredGrays(db).then(
      (n) => n > 0 && logger.info("expired gray releases aborted", { count: n }),
      (e: unknown) => logger.error("gray deadline job failed", { err: e }),
    );
  }, every).unref();
}
