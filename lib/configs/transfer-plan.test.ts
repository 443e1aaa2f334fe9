import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { transferReasonCode } from "@/lib/configs/keys";
import { abortBlockers, computePlan, type ConflictPolicy, type CurrentState, type SourceItem } from "@/lib/configs/transfer-plan";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const item = (dataId: string, content: string, type = "text"): SourceItem => ({ group: "G", dataId, type, content });
const state = (content: string, type = "text"): CurrentState => ({ md5: md5(content), content, type });

function plan(policy: ConflictPolicy, extra: { expected?: Record<string, string | null> } = {}) {
  const current = new Map<string, CurrentState | null>([
    ["G/new", null],
    ["G/same", state("same")],
    ["G/changed", state("old")],
    ["G/bad", null],
    ["G/secret", null],
  ]);
  return computePlan({
    policy,
    items: [item("new", "n"), item("same", "same"), item("changed", "new"), item("bad", "{", "json"), item("secret", "password: [redacted]", "yaml")],
    refused: [{ path: "x/y/z", group: null, dataId: null, reason: "bad path" }],
    current,
    md5,
    validate: (i) => (i.type === "json" && i.content === "{" ? "json does not parse at line 1, column 2" : null),
    ...extra,
  });
}

const actions = (p: ReturnType<typeof plan>) => Object.fromEntries(p.items.map((i) => [i.path, `${i.action}${i.reason ? `:${i.reason.split(" ")[0]}` : ""}`]));

describe("import / clone plan", () => {
  it("overwrite: creates, overwrites what differs (CAS on the current md5), skips what is identical", () => {
    const p = plan("overwrite");
    expect(actions(p)).toEqual({ "x/y/z": "fail:bad", "G/new": "create", "G/same": "skip:unchanged", "G/changed": "overwrite", "G/bad": "fail:json", "G/secret": "fail:holds" });
    expect(p.items.find((i) => i.path === "G/changed")!.currentMd5).toBe(md5("old"));
    expect(p.counts).toEqual({ create: 1, overwrite: 1, skip: 1, fail: 3 });
    expect(abortBlockers(p)).toEqual({ invalid: [], existing: [] });
    expect(p.items.map((i) => (i.reason ? transferReasonCode(i.reason) : "-"))).toEqual(["other", "-", "unchanged", "-", "invalidContent", "redacted"]);
  });

  it("skip: existing keys are skipped", () => {
    expect(actions(plan("skip"))).toMatchObject({ "G/new": "create", "G/same": "skip:exists", "G/changed": "skip:exists" });
  });

  it("abort: invalid items and existing keys block the whole import", () => {
    const b = abortBlockers(plan("abort"));
    expect(b.invalid.map((i) => i.path).sort()).toEqual(["G/bad", "G/secret", "x/y/z"]);
    expect(b.existing.map((i) => i.path).sort()).toEqual(["G/changed", "G/same"]);
  });

  it("a key that moved since the confirmed preview fails as a conflict instead of being written", () => {
    const p = plan("overwrite", { expected: { "G/new": null, "G/changed": md5("what the preview showed") } });
    expect(actions(p)).toMatchObject({ "G/new": "create", "G/changed": "fail:conflict:" });
    expect(abortBlockers(plan("abort", { expected: { "G/new": md5("someone created it") } })).existing.map((i) => i.path)).toContain("G/new");
  });

  it("an item listed twice fails the second time", () => {
    const p = computePlan({ policy: "skip", items: [item("a", "1"), item("a", "2")], current: new Map(), md5, validate: () => null });
    expect(p.items.map((i) => i.action)).toEqual(["create", "fail"]);
  });
});
