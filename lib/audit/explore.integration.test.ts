/**
 * Audit explore/verify/export on the stack's real PostgreSQL (issue: audit log), through the
 * app role: scope, CSV injection, secrets, offline verification, reconciliation, rebuilt-
 * chain detection by checkpoint, and retention that drops whole partitions.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setProcessDatabase } from "@/lib/database";
import { chainHash, type ChainedRow } from "@/lib/audit/chain";
import { readCheckpoints } from "@/lib/audit/checkpoint-file";
import { exportAudit } from "@/lib/audit/export";
import { purgeAuditPartitions, reconcileOutcomes, writeCheckpoint } from "@/lib/audit/maintenance";
import { listAuditEvents } from "@/lib/audit/query";
import { appendAuditEvent } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { verifyExportFile } from "@/lib/audit/verify-export";
import { defineOperation } from "@/lib/ops/define-operation";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";

let pg: PostgresFixture;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sy-audit-"));
const cpFile = path.join(tmp, "checkpoints.jsonl");
const auditor = actorWithRole("auditor");
const developer = actorWithRole("developer", { env: "tier=dev" });
const operator = actorWithRole("operator");

const publish = defineOperation({
  action: "config.publish",
  permission: "config.publish",
  input: z.object({ dataId: z.string(), content: z.string(), password: z.string().optional() }),
  target: (i) => ({ kind: "config", name: i.dataId, environment: { name: "dev-1", labels: { tier: "dev" } }, namespace: "public" }),
  async run(i) {
    return { result: true, after: { content: i.content, password: i.password } };
  },
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

beforeAll(async () => {
  pg = await freshPostgres("explore");
  setProcessDatabase(pg.handle);
  await publish.execute(operator, { dataId: "=HYPERLINK(\"http://evil\")", content: "a: 1" }, meta());
  await publish.execute(developer, { dataId: "dev-app.yaml", content: "b: 2" }, meta());
  await publish.execute(operator, { dataId: "db.properties", content: "db.url=x", password: "S3cr3t" }, meta());
});
afterAll(async () => {
  await pg?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("scope", () => {
  it("a developer sees only their own actions; an auditor sees all", async () => {
    const mine = await listAuditEvents(developer, { limit: 100 });
    expect(mine.items.length).toBe(2);
    expect(mine.items.every((e) => e.actorId === developer.id)).toBe(true);
    const all = await listAuditEvents(auditor, { limit: 100 });
    expect(all.items.length).toBeGreaterThanOrEqual(6);
  });

  it("filters by action prefix, outcome and request id", async () => {
    const intents = await listAuditEvents(auditor, { limit: 100, action: "config.*", outcome: "intent" });
    expect(intents.items.length).toBe(3);
    const one = intents.items[0]!;
    const byRequest = await listAuditEvents(auditor, { limit: 100, requestId: one.requestId });
    expect(byRequest.items.map((e) => e.phase).sort()).toEqual(["intent", "outcome"]);
  });

  it("export as a developer → 403, and the refusal is audited", async () => {
    await expect(exportAudit(developer, {}, "csv", meta())).rejects.toMatchObject({ code: "FORBIDDEN" });
    const denied = await listAuditEvents(auditor, { limit: 10, action: "audit.export", outcome: "denied" });
    expect(denied.items[0]?.actorId).toBe(developer.id);
  });
});

describe("export", () => {
  it("CSV neutralizes formula injection and carries no secret", async () => {
    const csv = await readAll(await exportAudit(auditor, {}, "csv", meta()));
    expect(csv.split("\r\n")[0]).toMatch(/^id,createdAt,requestId/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(csv).not.toContain("S3cr3t");
  });

  it("JSON Lines ends with a manifest and re-verifies offline", async () => {
    const text = await readAll(await exportAudit(auditor, {}, "jsonl", meta()));
    expect(text).not.toContain("S3cr3t");
    const lines = text.trim().split("\n");
    const manifest = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(manifest).toMatchObject({ manifest: true, count: lines.length - 1 });
    const file = path.join(tmp, "export.jsonl");
    fs.writeFileSync(file, text);
    const report = await verifyExportFile(file);
    expect(report).toMatchObject({ ok: true, count: lines.length - 1, manifest: { present: true, matches: true } });
    expect(report.linked).toBe(report.count); // unfiltered: every row links to the previous

    // One edited byte in one row is named.
    const rows = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    rows[1]!.actorName = "mallory";
    fs.writeFileSync(file, [...rows.map((r) => JSON.stringify(r)), lines.at(-1)].join("\n") + "\n");
    expect((await verifyExportFile(file)).firstBroken).toMatchObject({ id: rows[1]!.id, reason: "hash_mismatch" });
  });

  it("every export is itself audited, intent and outcome with the count", async () => {
    const exports = await listAuditEvents(auditor, { limit: 20, action: "audit.export", outcome: "succeeded" });
    expect(exports.items.length).toBeGreaterThanOrEqual(2);
    expect((exports.items[0]!.detail as { count: number }).count).toBeGreaterThan(0);
  });
});

describe("reconciliation", () => {
  it("an intent without outcome is recorded as outcome unknown by the system actor", async () => {
    const requestId = randomUUID();
    await appendAuditEvent(pg.handle.db, { requestId, phase: "intent", action: "mesh.policy.write", actor: { id: operator.id, name: "op", source: "local", roles: [] }, targetKind: "VirtualService", targetName: "reviews" });
    expect(await reconcileOutcomes(pg.handle.db, 0)).toBeGreaterThanOrEqual(1);
    const rows = await listAuditEvents(auditor, { limit: 10, requestId });
    const outcome = rows.items.find((r) => r.phase === "outcome");
    expect(outcome).toMatchObject({ outcome: "unknown", actorId: "system", action: "mesh.policy.write" });
    // Idempotent: a second run adds nothing for it.
    await reconcileOutcomes(pg.handle.db, 0);
    expect((await listAuditEvents(auditor, { limit: 10, requestId })).items.length).toBe(2);
  });
});

describe("checkpoints", () => {
  it("a chain rebuilt from scratch verifies on its own but mismatches the checkpoint", async () => {
    await writeCheckpoint(pg.handle.db, "periodic", cpFile);
    expect((await verifyAuditChain(pg.handle.db, { checkpoints: readCheckpoints(cpFile) })).ok).toBe(true);

    // A superuser rewrites one row and re-hashes everything after it, head included.
    await pg.asAdmin(async (c) => {
      await c.query("SET session_replication_role = replica");
      const { rows } = await c.query("SELECT * FROM audit_events ORDER BY id");
      let prev = "0".repeat(64);
      for (const r of rows as Array<Record<string, unknown>>) {
        const row: ChainedRow = {
          id: Number(r.id),
          createdAt: new Date(r.created_at as string).toISOString(),
          requestId: r.request_id as string,
          phase: r.phase as "intent",
          outcome: r.outcome as string | null,
          action: r.action as string,
          actorId: r.actor_id as string,
          actorName: Number(r.id) === 2 ? "someone-else" : (r.actor_name as string),
          actorSource: r.actor_source as string,
          actorRoles: r.actor_roles,
          tokenId: r.token_id as string | null,
          environment: r.environment as string | null,
          namespace: r.namespace as string | null,
          targetKind: r.target_kind as string | null,
          targetName: r.target_name as string | null,
          versionBefore: r.version_before as string | null,
          versionAfter: r.version_after as string | null,
          before: r.before,
          after: r.after,
          detail: r.detail,
          clientIp: r.client_ip as string | null,
          userAgent: r.user_agent as string | null,
          prevHash: prev,
        };
        const hash = chainHash(row);
        await c.query("UPDATE audit_events SET actor_name = $2, prev_hash = $3, hash = $4 WHERE id = $1", [row.id, row.actorName, prev, hash]);
        prev = hash;
      }
      await c.query("UPDATE audit_chain_head SET last_hash = $1", [prev]);
    });
    const withoutCheckpoints = await verifyAuditChain(pg.handle.db);
    expect(withoutCheckpoints.ok).toBe(true); // the forgery is self-consistent…
    const report = await verifyAuditChain(pg.handle.db, { checkpoints: readCheckpoints(cpFile) });
    expect(report.ok).toBe(false); // …but not with the head recorded outside the database
    expect(report.checkpoints.mismatch).toMatchObject({ reason: "hash_differs" });
  });

  it("an edited checkpoint file is refused", () => {
    const text = fs.readFileSync(cpFile, "utf8").replace(/"lastId":\d+/, '"lastId":1');
    const forged = path.join(tmp, "forged.jsonl");
    fs.writeFileSync(forged, text);
    expect(() => readCheckpoints(forged)).toThrow(/chain broken/);
  });
});

describe("retention", () => {
  it("drops whole expired partitions, records an anchor, and verification still passes", async () => {
    const fixture = await freshPostgres("retention");
    try {
      // Three rows from January 2024, chained from genesis, written as the platform would have then.
      await fixture.asAdmin(async (c) => {
        await c.query("SELECT audit_ensure_partition('2024-01-15T00:00:00Z')");
        let prev = "0".repeat(64);
        for (let id = 1; id <= 3; id++) {
          const row: ChainedRow = {
            id, createdAt: new Date(Date.UTC(2024, 0, 10 + id)).toISOString(), requestId: `old-${id}`, phase: "outcome", outcome: "succeeded",
            action: "config.publish", actorId: "u", actorName: "old", actorSource: "local", actorRoles: [], tokenId: null, environment: null,
            namespace: null, targetKind: null, targetName: null, versionBefore: null, versionAfter: null, before: null, after: null, detail: null,
            clientIp: null, userAgent: null, prevHash: prev,
          };
          const hash = chainHash(row);
          await c.query(
            `INSERT INTO audit_events (id, created_at, request_id, phase, outcome, action, actor_id, actor_name, actor_source, actor_roles, prev_hash, hash)
             VALUES ($1, $2, $3, 'outcome', 'succeeded', 'config.publish', 'u', 'old', 'local', '[]', $4, $5)`,
            [id, row.createdAt, row.requestId, prev, hash],
          );
          prev = hash;
        }
        await c.query("SELECT setval('audit_events_id_seq', 3)");
        await c.query("UPDATE audit_chain_head SET last_id = 3, last_hash = $1", [prev]);
      });
      await appendAuditEvent(fixture.handle.db, { requestId: randomUUID(), phase: "outcome", outcome: "succeeded", action: "config.publish", actor: { id: "u", name: "new", source: "local", roles: [] } });
      expect((await verifyAuditChain(fixture.handle.db)).ok).toBe(true);
      const file = path.join(tmp, "retention-cp.jsonl");
      await writeCheckpoint(fixture.handle.db, "periodic", file);

      // Dropping partitions is the owner's (docs/security.md §35): the app role cannot.
      const report = await purgeAuditPartitions((await fixture.owner()).db, 400, "retention-test", file);
      expect(report).toMatchObject({ dropped: ["audit_events_2024_01"], purgedThroughId: 3 });
      const after = await verifyAuditChain(fixture.handle.db, { checkpoints: readCheckpoints(file) });
      expect(after).toMatchObject({ ok: true, startedFrom: { purgedThroughId: 3 } });
      expect(readCheckpoints(file).at(-1)).toMatchObject({ kind: "purge" });
    } finally {
      await fixture.drop();
    }
  });
});
