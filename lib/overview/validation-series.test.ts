import { describe, expect, it } from "vitest";
import { binned, snapshots, type ValidationSampleRow } from "@/lib/overview/validation-series";

const row = (environmentId: string, namespace: string, bucket: string, errors: number | null, warnings: number | null = 0): ValidationSampleRow => ({ environmentId, namespace, bucket, errors, warnings });
const all = () => true;

describe("validation snapshots", () => {
  it("sums the visible namespaces of each sample, most errors first", () => {
    const s = snapshots(
      [row("e1", "", "2026-12-01T10:00:00.000Z", 0), row("e1", "a", "2026-12-01T10:00:00.000Z", 1, 2), row("e1", "b", "2026-12-01T10:00:00.000Z", 3), row("e1", "hidden", "2026-12-01T10:00:00.000Z", 5, 5)],
      (_, ns) => ns !== "hidden",
    );
    expect(s.get("e1")).toEqual([
      {
        bucket: "2026-12-01T10:00:00.000Z",
        errors: 4,
        warnings: 2,
        namespaces: [
          { namespace: "b", errors: 3, warnings: 0 },
          { namespace: "a", errors: 1, warnings: 2 },
        ],
      },
    ]);
  });

  it("a sample whose marker has no counts is unknown, not 0; rows without a marker are no sample", () => {
    const s = snapshots([row("e1", "", "2026-12-01T10:00:00.000Z", null, null), row("e1", "a", "2026-12-01T10:01:00.000Z", 2)], all);
    expect(s.get("e1")).toEqual([{ bucket: "2026-12-01T10:00:00.000Z", errors: null, warnings: null, namespaces: [] }]);
  });

  it("a judged environment without problems is 0", () => {
    expect(snapshots([row("e2", "", "2026-12-01T10:00:00+00:00", 0)], all).get("e2")).toEqual([{ bucket: "2026-12-01T10:00:00.000Z", errors: 0, warnings: 0, namespaces: [] }]);
  });
});

describe("validation series binning", () => {
  const snap = (bucket: string, errors: number | null) => ({ bucket, errors, warnings: errors === null ? null : 0, namespaces: [] });

  it("each bin shows its newest known sample; an all-unknown bin is null; empty bins are left out", () => {
    const points = binned(
      [snap("2026-12-01T10:59:00.000Z", 1), snap("2026-12-01T10:10:00.000Z", 7), snap("2026-12-01T10:30:00.000Z", 3), snap("2026-12-01T11:05:00.000Z", null), snap("2026-12-01T13:00:00.000Z", 0)],
      3600,
    );
    expect(points).toEqual([
      { t: "2026-12-01T10:00:00.000Z", errors: 1, warnings: 0 },
      { t: "2026-12-01T11:00:00.000Z", errors: null, warnings: null },
      { t: "2026-12-01T13:00:00.000Z", errors: 0, warnings: 0 },
    ]);
  });

  it("an unknown sample after a known one in the same bin keeps the known count", () => {
    expect(binned([snap("2026-12-01T10:01:00.000Z", 2), snap("2026-12-01T10:02:00.000Z", null)], 600)).toEqual([{ t: "2026-12-01T10:00:00.000Z", errors: 2, warnings: 0 }]);
  });

  it("daily bins start at midnight UTC, as date_bin from 2000-01-01 does", () => {
    expect(binned([snap("2026-12-01T23:59:00.000Z", 4)], 86_400)).toEqual([{ t: "2026-12-01T00:00:00.000Z", errors: 4, warnings: 0 }]);
  });
});
