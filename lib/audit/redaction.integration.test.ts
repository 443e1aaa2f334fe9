/**
 * Issue #8 item 11 (docs/security.md §21): secrets inside content — XML, properties lines with a
 * whitespace separator, base64 znode data — never reach a stored audit row, and the row keeps
 * the non-secret structure. Embedded PGlite: no peer needed.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { appendAuditEvent } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { freshPglite } from "@/lib/testing/db";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await freshPglite();
});
afterAll(async () => handle?.close());

/** Every string in the value, and what each one decodes to if it is base64. */
function allText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      out.push(v);
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0) out.push(Buffer.from(v, "base64").toString("latin1"));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => (out.push(k), walk(x)));
  };
  walk(value);
  return out.join("\n");
}

describe("audit recorder redacts content by format", () => {
  it("XML, whitespace-separated properties and base64 znode data: no secret stored, structure kept, chain valid", async () => {
    const xml = '<config>\n  <url>jdbc:mysql://db/app</url>\n  <password>Xml-S3cr3t</password>\n  <property name="api.token" value="Attr-S3cr3t"/>\n</config>';
    const properties = "db.url jdbc:mysql://db/app\ndb.password Ws-S3cr3t\n";
    const znode = "server.port=8080\nspring.datasource.password B64-S3cr3t\n";
    const requestId = randomUUID();
    await appendAuditEvent(handle.db, {
      requestId,
      phase: "outcome",
      outcome: "succeeded",
      action: "registry.znode.write",
      actor: { id: "u1", name: "alice", source: "local", roles: ["admin"] },
      targetKind: "znode",
      targetName: "/app/config",
      before: { path: "/app/config", version: 3, size: znode.length, dataBase64: Buffer.from(znode).toString("base64") },
      after: { path: "/app/config", version: 4, size: xml.length, data: xml },
      detail: { input: { content: properties, type: "properties" }, note: properties },
    });
    const [row] = await handle.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
    expect(row).toBeDefined();
    const stored = allText(row);
    const leaked = ["Xml-S3cr3t", "Attr-S3cr3t", "Ws-S3cr3t", "B64-S3cr3t"].filter((secret) => stored.includes(secret));
    expect(leaked).toEqual([]);

    expect(row!.before).toEqual({ path: "/app/config", version: 3, size: znode.length, data: "server.port=8080\nspring.datasource.password [redacted]\n", encoding: "utf8", redacted: true });
    expect(row!.after).toEqual({
      path: "/app/config",
      version: 4,
      size: xml.length,
      data: '<config>\n  <url>jdbc:mysql://db/app</url>\n  <password>[redacted]</password>\n  <property name="api.token" value="[redacted]"/>\n</config>',
    });
    expect(row!.detail).toEqual({
      input: { content: "db.url jdbc:mysql://db/app\ndb.password [redacted]\n", type: "properties" },
      note: "db.url jdbc:mysql://db/app\ndb.password [redacted]\n",
    });

    // The chain hashes what was stored (the redacted values), so it verifies.
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, firstBroken: null });
  });
});
