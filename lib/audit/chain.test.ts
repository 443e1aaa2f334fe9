import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { ChainVerifier, chainHash, GENESIS_HASH, type ChainedRow } from "@/lib/audit/chain";

function row(id: number, prevHash: string, over: Partial<ChainedRow> = {}): ChainedRow & { hash: string } {
  const r: ChainedRow = {
    id,
    createdAt: new Date(1_700_000_000_000 + id).toISOString(),
    requestId: `req-${id}`,
    phase: "outcome",
    outcome: "succeeded",
    action: "config.publish",
    actorId: "u1",
    actorName: "alice",
    actorSource: "ldap",
    actorRoles: [{ role: "operator", env: "*", ns: "*", via: "user" }],
    tokenId: null,
    environment: "prod-hz-j",
    namespace: "public",
    targetKind: "config",
    targetName: "app.yaml",
    versionBefore: "a",
    versionAfter: "b",
    before: { x: 1 },
    after: { x: 2 },
    detail: null,
    clientIp: "10.0.0.1",
    userAgent: "ua",
    prevHash,
    ...over,
  };
  return { ...r, hash: chainHash(r) };
}

function chain(n: number): Array<ChainedRow & { hash: string }> {
  const out: Array<ChainedRow & { hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = row(i, prev);
    out.push(r);
    prev = r.hash;
  }
  return out;
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it("is stable for equal values built differently", () => {
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
  it("encodes dates as ISO and refuses non-finite numbers", () => {
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});

describe("ChainVerifier", () => {
  it("accepts an intact chain", () => {
    const v = new ChainVerifier();
    for (const r of chain(50)) expect(v.next(r)).toBeNull();
    expect(v.count).toBe(50);
  });

  it("names an edited row", () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, actorName: "mallory" };
    const v = new ChainVerifier();
    const breaks = rows.map((r) => v.next(r)).filter(Boolean);
    expect(breaks[0]).toEqual({ id: 5, reason: "hash_mismatch" });
  });

  it("names the row after a deleted one", () => {
    const rows = chain(10);
    rows.splice(3, 1);
    const v = new ChainVerifier();
    const first = rows.map((r) => v.next(r)).find(Boolean);
    expect(first).toEqual({ id: 5, reason: "prev_hash_mismatch" });
  });

  it("detects a re-hashed (rebuilt) row only through its successor", () => {
    const rows = chain(5);
    const forged = row(3, rows[1]!.hash, { outcome: "failed" });
    rows[2] = forged;
    const v = new ChainVerifier();
    const first = rows.map((r) => v.next(r)).find(Boolean);
    expect(first).toEqual({ id: 4, reason: "prev_hash_mismatch" });
  });

  it("refuses ids out of order", () => {
    const rows = chain(3);
    const v = new ChainVerifier();
    v.next(rows[0]!);
    v.next(rows[1]!);
    expect(v.next(rows[0]!)).toEqual({ id: 1, reason: "id_order" });
  });
});
