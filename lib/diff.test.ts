import { describe, expect, it } from "vitest";
import { diffLines, stableJson } from "@/lib/diff";

describe("diffLines", () => {
  it("marks changed lines only", () => {
    expect(diffLines("a\nb\nc", "a\nB\nc")).toEqual([
      { op: "same", text: "a" },
      { op: "del", text: "b" },
      { op: "add", text: "B" },
      { op: "same", text: "c" },
    ]);
  });
  it("handles empty sides", () => {
    expect(diffLines("", "x")).toEqual([{ op: "add", text: "x" }]);
    expect(diffLines("x", "")).toEqual([{ op: "del", text: "x" }]);
    expect(diffLines("", "")).toEqual([]);
  });
  it("keeps the common subsequence", () => {
    const d = diffLines("1\n2\n3\n4", "0\n1\n3\n4\n5");
    expect(d.filter((l) => l.op === "same").map((l) => l.text)).toEqual(["1", "3", "4"]);
  });
});

describe("stableJson", () => {
  it("sorts keys so equal objects print equal", () => {
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(stableJson({ a: { c: 2, d: 1 }, b: 1 }));
    expect(stableJson(null)).toBe("");
  });
});
