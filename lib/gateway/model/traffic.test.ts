import { describe, expect, it } from "vitest";
import {
  apportion,
  canaryStepsProblem,
  canaryWeights,
  drainWeights,
  nextCanaryStep,
  previousCanaryStep,
  readTrafficState,
  restoreWeights,
  stepOfWeights,
  TRAFFIC_ANNOTATION,
  TrafficError,
  writeTrafficState,
  type CanaryState,
} from "@/lib/gateway/model/traffic";

const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

describe("apportion", () => {
  it("keeps the total exactly, by largest remainder", () => {
    expect(apportion(10, { a: 1, b: 1, c: 1 })).toEqual({ a: 4, b: 3, c: 3 });
    expect(apportion(7, { a: 0, b: 0 })).toEqual({ a: 4, b: 3 });
    for (let t = 0; t < 50; t++) expect(sum(apportion(t, { a: 3, b: 5, c: 11 }))).toBe(t);
  });
});

describe("drain a zone, restore it", () => {
  it("moves the zone's weight to the others in proportion, keeping the total", () => {
    expect(drainWeights({ j: 50, k: 50 }, "j")).toEqual({ j: 0, k: 100 });
    const three = drainWeights({ j: 30, k: 20, l: 50 }, "j");
    expect(three).toEqual({ j: 0, k: 29, l: 71 });
    expect(sum(three)).toBe(100);
  });

  it("splits equally when every other zone had 0", () => {
    expect(drainWeights({ j: 9, k: 0, l: 0 }, "j")).toEqual({ j: 0, k: 5, l: 4 });
  });

  it("refuses to drain the only zone, an unknown zone, or a zone already at 0", () => {
    expect(() => drainWeights({ j: 10 }, "j")).toThrow(TrafficError);
    expect(() => drainWeights({ j: 10, k: 1 }, "x")).toThrow(/not a backend/);
    expect(() => drainWeights({ j: 0, k: 1 }, "j")).toThrow(/already/);
  });

  it("restore after drain gives exactly the weights before, for many splits", () => {
    for (const before of [{ j: 50, k: 50 }, { j: 33, k: 67 }, { j: 1, k: 2, l: 97 }, { j: 7, k: 0, l: 0 }] as Array<Record<string, number>>) {
      const after = drainWeights(before, "j");
      expect(restoreWeights(after, { zone: "j", before, after })).toEqual(before);
    }
  });

  it("restore after the others changed takes the zone's old weight back proportionally", () => {
    const before = { j: 50, k: 50 };
    const after = drainWeights(before, "j");
    const r = restoreWeights({ j: 0, k: 80 }, { zone: "j", before, after });
    expect(r).toEqual({ j: 50, k: 30 });
    expect(restoreWeights({ j: 0, k: 20 }, { zone: "j", before, after })).toEqual({ j: 20, k: 0 });
  });
});

describe("canary steps", () => {
  const base: CanaryState = { rule: 0, stable: ["v1"], canary: ["v2"], steps: [0, 10, 25, 50, 100], step: 0, holdSeconds: 0 };

  it("validates step plans", () => {
    expect(canaryStepsProblem([0, 10, 25, 50, 100])).toBeNull();
    expect(canaryStepsProblem([0, 10, 10])).toMatch(/increase/);
    expect(canaryStepsProblem([0, 101])).toMatch(/0 to 100/);
    expect(canaryStepsProblem([5])).toMatch(/2 to 10/);
  });

  it("0 → 10 → 25 → 50 → 100 gives the expected weights, and back one step", () => {
    let w: Record<string, number> = { v1: 100, v2: 0 };
    const seen: Array<Record<string, number>> = [];
    let s = base;
    for (;;) {
      const d = nextCanaryStep(s, new Date());
      if (!d.ok) {
        expect(d.reason).toBe("last-step");
        break;
      }
      w = canaryWeights(w, s, d.percent);
      s = { ...s, step: d.step };
      seen.push(w);
    }
    expect(seen).toEqual([{ v1: 90, v2: 10 }, { v1: 75, v2: 25 }, { v1: 50, v2: 50 }, { v1: 0, v2: 100 }]);
    const back = previousCanaryStep(s);
    expect(back).toEqual({ ok: true, step: 3, percent: 50 });
    expect(previousCanaryStep({ ...s, step: 0 })).toEqual({ ok: false, reason: "first-step" });
  });

  it("a hold time blocks the next step until it has passed; going back is never held", () => {
    const s = { ...base, step: 1, holdSeconds: 600, lastStepAt: "2026-01-01T00:00:00.000Z" };
    expect(nextCanaryStep(s, new Date("2026-01-01T00:09:59Z"))).toEqual({ ok: false, reason: "hold", allowedAt: "2026-01-01T00:10:00.000Z" });
    expect(nextCanaryStep(s, new Date("2026-01-01T00:10:00Z"))).toEqual({ ok: true, step: 2, percent: 25 });
    expect(previousCanaryStep(s).ok).toBe(true);
  });

  it("within a side, zone proportions are kept and a drained zone stays at 0", () => {
    const w = canaryWeights({ j: 0, k: 90, canary: 10 }, { stable: ["j", "k"], canary: ["canary"] }, 50, new Set(["j"]));
    expect(w).toEqual({ j: 0, k: 50, canary: 50 });
    const fresh = canaryWeights({ a: 100, b1: 0, b2: 0 }, { stable: ["a"], canary: ["b1", "b2"] }, 10, new Set(["b2"]));
    expect(fresh).toEqual({ a: 90, b1: 10, b2: 0 });
  });

  it("finds the step the weights are on", () => {
    expect(stepOfWeights(base, { v1: 50, v2: 50 })).toBe(3);
    expect(stepOfWeights(base, { v1: 60, v2: 40 })).toBe(-1);
  });
});

describe("state annotation", () => {
  it("round-trips and drops itself when empty; garbage reads as empty", () => {
    const state = { v: 1 as const, siteBackends: [{ rule: 0, site: "hz", service: "s", group: "DEFAULT_GROUP", zones: { j: "s.DEFAULT-GROUP.j.nacos" } }], drained: [] };
    const ann = writeTrafficState({ other: "x" }, state);
    expect(readTrafficState(ann)).toEqual(state);
    expect(writeTrafficState(ann, { v: 1, siteBackends: [], drained: [] })).toEqual({ other: "x" });
    expect(readTrafficState({ [TRAFFIC_ANNOTATION]: "{not json" })).toEqual({ v: 1, siteBackends: [], drained: [] });
  });
});
