/** Daily counts of outcomes for the overview chart, scoped like the audit list. */
import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/database";
import type { Actor } from "@/lib/auth/actor";
import { seesAllAudit } from "@/lib/audit/query";

export interface ActivityDay {
  day: string;
  succeeded: number;
  failed: number;
  denied: number;
}

export async function auditActivity(actor: Actor, days: number): Promise<ActivityDay[]> {
  const db = await getDb();
  const own = !seesAllAudit(actor);
  const since = new Date(Date.now() - (days - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const result = await db.execute(sql`
    SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE outcome = 'succeeded')::int AS succeeded,
           count(*) FILTER (WHERE outcome IN ('failed', 'conflict', 'partial', 'unknown'))::int AS failed,
           count(*) FILTER (WHERE outcome = 'denied')::int AS denied
    FROM audit_events
    WHERE phase = 'outcome' AND created_at >= ${since.toISOString()}::timestamptz
      ${own ? sql`AND actor_id = ${actor.id}` : sql``}
    GROUP BY 1 ORDER BY 1`);
  const rows = new Map((result as unknown as { rows: ActivityDay[] }).rows.map((r) => [r.day, r]));
  const out: ActivityDay[] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const r = rows.get(d);
    out.push({ day: d, succeeded: Number(r?.succeeded ?? 0), failed: Number(r?.failed ?? 0), denied: Number(r?.denied ?? 0) });
  }
  return out;
}
