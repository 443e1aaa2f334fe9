/**
 * Issue #10 item 3: audit entries are validated with zod at the boundary like every other input.
 * Before, only the action and the intent/outcome pairing were checked: a row without an actor
 * id or request id was written (and hashed into the chain) as it came.
 */
import { describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { appendAuditEvent, AuditEntry } from "@/lib/audit/record";

const valid: AuditEntry = {
  requestId: "r-1",
  phase: "intent",
  action: "service.instance.update",
  actor: { id: "u-1", name: "alice", source: "ldap", roles: ["operator"] },
  environment: "prod-hz",
  targetKind: "instance",
  targetName: "DEFAULT_GROUP@@orders/10.0.0.1:8080",
  before: { weight: 1 },
};

/** Never touched: a refused entry must fail before the database is reached. */
const untouchable = new Proxy({}, { get: () => { throw new Error("the database was reached"); } }) as unknown as Database;

describe("AuditEntry", () => {
  it("accepts an entry as callers hand it in", () => {
    expect(AuditEntry.safeParse(valid).success).toBe(true);
    expect(AuditEntry.safeParse({ ...valid, phase: "outcome", outcome: "succeeded", after: { weight: 2 } }).success).toBe(true);
  });

  it.each([
    ["no request id", { ...valid, requestId: "" }, "requestId"],
    ["an unknown action", { ...valid, action: "service.nuke" }, "action"],
    ["an actor without id", { ...valid, actor: { ...valid.actor, id: "" } }, "actor.id"],
    ["a phase that does not exist", { ...valid, phase: "maybe" }, "phase"],
    ["an intent with an outcome", { ...valid, outcome: "succeeded" }, "outcome"],
    ["an outcome row without its outcome", { ...valid, phase: "outcome" }, "outcome"],
    ["an unknown outcome", { ...valid, phase: "outcome", outcome: "meh" }, "outcome"],
    ["a numeric target name", { ...valid, targetName: 42 }, "targetName"],
  ])("refuses %s before anything is written, naming the field", (_n, entry, field) => {
    expect(() => appendAuditEvent(untouchable, entry as AuditEntry)).toThrow(new RegExp(`audit: invalid entry: .*${field.replace(".", "\\.")}`));
  });
});
