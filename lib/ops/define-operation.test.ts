/**
 * The write path against embedded PGlite (a real Postgres engine in-process): every outcome
 * of an operation and the fail-closed rule. Peer-backed variants live in the integration suite.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { DatabaseHandle } from "@/db/client";
import { setProcessDatabase } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit/verify";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPglite } from "@/lib/testing/db";

let handle: DatabaseHandle;
const backend = vi.fn(async (value: string) => (value ? "done" : "done"));

const op = defineOperation({
  action: "config.publish",
  permission: "config.publish",
  input: z.object({ value: z.string().min(1), fail: z.enum(["no", "conflict", "error"]).default("no"), password: z.string().optional() }),
  target: () => ({ kind: "config", name: "app.yaml", environment: { name: "dev-1", labels: { tier: "dev" } }, namespace: "public" }),
  async run(input) {
    if (input.fail === "conflict") throw new AppError("CONFLICT", "md5 changed");
    if (input.fail === "error") throw new AppError("UPSTREAM_UNAVAILABLE", "nacos down");
    const result = await backend(input.value);
    return { result, before: { v: "old" }, after: { v: input.value }, versionBefore: "m1", versionAfter: "m2" };
  },
});

async function rows() {
  return handle.db.select().from(auditEvents).orderBy(auditEvents.id);
}

beforeAll(async () => {
  handle = await freshPglite();
  setProcessDatabase(handle);
});
afterAll(async () => handle.close());
beforeEach(() => backend.mockClear());

describe("defineOperation", () => {
  it("allowed: intent then succeeded, linked by request id, with before/after", async () => {
    const m = meta();
    await expect(op.execute(actorWithRole("operator"), { value: "v2" }, m)).resolves.toBe("done");
    const mine = (await rows()).filter((r) => r.requestId === m.requestId);
    expect(mine.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "succeeded"],
    ]);
    expect(mine[1]).toMatchObject({ action: "config.publish", environment: "dev-1", namespace: "public", targetName: "app.yaml", versionBefore: "m1", versionAfter: "m2", after: { v: "v2" } });
    expect(backend).toHaveBeenCalledOnce();
  });

  it("unauthenticated: 401, nothing called", async () => {
    await expect(op.execute(null, { value: "x" }, meta())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(backend).not.toHaveBeenCalled();
  });

  it("bad input: VALIDATION naming the field, nothing called or audited", async () => {
    const before = (await rows()).length;
    await expect(op.execute(actorWithRole("operator"), { value: "" }, meta())).rejects.toMatchObject({ code: "VALIDATION", fields: [{ field: "value" }] });
    expect((await rows()).length).toBe(before);
    expect(backend).not.toHaveBeenCalled();
  });

  it("denied (viewer; out-of-scope developer): 403 and a denied row, nothing called", async () => {
    for (const actor of [actorWithRole("viewer"), actorWithRole("developer", { env: "tier=prod" })]) {
      const m = meta();
      await expect(op.execute(actor, { value: "x" }, m)).rejects.toMatchObject({ code: "FORBIDDEN" });
      const mine = (await rows()).filter((r) => r.requestId === m.requestId);
      expect(mine.map((r) => [r.phase, r.outcome])).toEqual([["outcome", "denied"]]);
    }
    expect(backend).not.toHaveBeenCalled();
  });

  it("conflict and failure are recorded as such and rethrown", async () => {
    const c = meta();
    await expect(op.execute(actorWithRole("admin"), { value: "x", fail: "conflict" }, c)).rejects.toMatchObject({ code: "CONFLICT" });
    const f = meta();
    await expect(op.execute(actorWithRole("admin"), { value: "x", fail: "error" }, f)).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    const all = await rows();
    expect(all.filter((r) => r.requestId === c.requestId).map((r) => r.outcome)).toEqual([null, "conflict"]);
    expect(all.filter((r) => r.requestId === f.requestId).map((r) => r.outcome)).toEqual([null, "failed"]);
  });

  it("secrets in the input never reach the audit rows, as fields or as lines of text (docs/security.md §21)", async () => {
    const m = meta();
    await op.execute(actorWithRole("admin"), { value: "x", password: "S3cr3t-value" }, m);
    await op.execute(actorWithRole("admin"), { value: "db.url=jdbc:x\ndb.password=An0ther-S3cret\nspring.datasource.password: third-S3cret" }, meta());
    const text = JSON.stringify(await rows());
    expect(text).not.toContain("S3cr3t-value");
    expect(text).not.toContain("An0ther-S3cret");
    expect(text).not.toContain("third-S3cret");
    expect(text).toContain("db.url=jdbc:x");
  });

  it("fail closed: when the intent cannot be written, 503 and the backend is never called", async () => {
    await handle.db.execute(sql`CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await handle.db.execute(sql`CREATE TRIGGER refuse_insert BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_insert()`);
    try {
      await expect(op.execute(actorWithRole("admin"), { value: "x" }, meta())).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503 });
      expect(backend).not.toHaveBeenCalled();
    } finally {
      await handle.db.execute(sql`DROP TRIGGER refuse_insert ON audit_events`);
    }
  });

  it("the chain stays valid through all of the above", async () => {
    const report = await verifyAuditChain(handle.db);
    expect(report).toMatchObject({ ok: true, firstBroken: null });
    expect(report.count).toBe((await rows()).length);
  });

  it("the audit table refuses UPDATE, DELETE and TRUNCATE", async () => {
    const refused = async (q: Promise<unknown>) => {
      const e = await q.then(() => null, (err: Error) => err);
      expect(String((e?.cause as Error | undefined)?.message ?? e?.message)).toMatch(/append-only/);
    };
    await refused(handle.db.execute(sql`UPDATE audit_events SET actor_name = 'x'`));
    await refused(handle.db.execute(sql`DELETE FROM audit_events`));
    await refused(handle.db.execute(sql`TRUNCATE audit_events`));
  });
});
