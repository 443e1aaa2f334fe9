/** Readiness: the database answers a query within the timeout. */
import "server-only";
import { sql } from "drizzle-orm";
import { databaseHandle } from "@/lib/database";

export async function readiness(): Promise<{ ready: boolean; database: { kind?: string; ok: boolean; error?: string } }> {
  try {
    const handle = await withTimeout(databaseHandle(), 5_000);
    await withTimeout(handle.db.execute(sql`SELECT 1`), 5_000);
    return { ready: true, database: { kind: handle.kind, ok: true } };
  } catch (e) {
    return { ready: false, database: { ok: false, error: e instanceof Error && e.message === "timeout" ? "timeout" : "unreachable" } };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timeout")), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
