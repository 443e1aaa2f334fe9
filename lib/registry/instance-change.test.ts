/**
 * The pure parts of lib/registry/instance-change.ts (expectation diff, metadata edits, the
 * bounded read-back) and its in-process lock on the embedded database. The lock across
 * replicas (PostgreSQL advisory lock) is proved with two console processes in
 * lib/registry/instance-change.integration.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { setProcessDatabase } from "@/lib/database";
import { applyMetadataEdits, diffExpectation, instanceLockKey, showsWrite, waitUntilShown, withInstanceLocks, type InstanceRef } from "@/lib/registry/instance-change";

const ref = (port: number, extra: Partial<InstanceRef> = {}): InstanceRef => ({ environment: "prod", namespace: "", group: "DEFAULT_GROUP", serviceName: "orders", clusterName: "DEFAULT", ip: "10.0.0.1", port, ...extra });

beforeAll(() => {
  // The embedded kind: the in-process queue is the whole lock (no database call is made).
  setProcessDatabase({ kind: "pglite", db: {} as DatabaseHandle["db"], close: async () => undefined });
});

describe("expectations", () => {
  const current = { weight: 5, enabled: true, metadata: { version: "1.0", zone: "j" } };

  it("compares only the fields given; metadata null means the key was absent", () => {
    expect(diffExpectation({}, current)).toEqual([]);
    expect(diffExpectation({ weight: 5, metadata: { version: "1.0", canary: null } }, current)).toEqual([]);
    expect(diffExpectation({ weight: 1, enabled: false, metadata: { version: "0.9", zone: null, canary: "on" } }, current)).toEqual([
      { field: "weight", expected: 1, current: 5 },
      { field: "enabled", expected: false, current: true },
      { field: "metadata.version", expected: "0.9", current: "1.0" },
      { field: "metadata.zone", expected: null, current: "j" },
      { field: "metadata.canary", expected: "on", current: null },
    ]);
  });

  it("metadata edits change only the edited keys; null removes one", () => {
    expect(applyMetadataEdits(current.metadata, { canary: "on", zone: null })).toEqual({ version: "1.0", canary: "on" });
    expect(current.metadata).toEqual({ version: "1.0", zone: "j" });
  });

  it("a read-back shows a write when weight, enabled and every edited key match", () => {
    expect(showsWrite(current, { weight: 5, enabled: true, metadataEdits: { zone: "j", canary: null } })).toBe(true);
    expect(showsWrite(current, { weight: 5, enabled: false })).toBe(false);
    expect(showsWrite(current, { weight: 5, enabled: true, metadataEdits: { zone: null } })).toBe(false);
  });

  it("the lock key treats '' and 'public' as one namespace and differs per instance", () => {
    expect(instanceLockKey(ref(80))).toBe(instanceLockKey(ref(80, { namespace: "public" })));
    expect(instanceLockKey(ref(80))).not.toBe(instanceLockKey(ref(81)));
    expect(instanceLockKey(ref(80))).not.toBe(instanceLockKey(ref(80, { clusterName: "GRAY" })));
  });
});

describe("read-back", () => {
  it("confirms as soon as a read shows the write, keeping what it read", async () => {
    let n = 0;
    const r = await waitUntilShown(async () => ++n, (v) => v >= 3, 10_000);
    expect(r).toEqual({ confirmed: true, last: 3 });
  });

  it("a read that fails or never answers within the bound is not a confirmation", async () => {
    expect(await waitUntilShown(() => new Promise<number>(() => undefined), () => true, 50)).toEqual({ confirmed: false, last: undefined });
    expect(await waitUntilShown(() => Promise.reject(new Error("down")), () => true, 50)).toEqual({ confirmed: false, last: undefined });
    expect((await waitUntilShown(async () => 1, (v) => v === 2, 50)).confirmed).toBe(false);
  });
});

describe("per-instance lock (one process)", () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it("changes of one instance run one after another, never interleaved", async () => {
    const events: string[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        withInstanceLocks([ref(80, { namespace: i % 2 ? "" : "public" })], async () => {
          events.push(`in ${i}`);
          for (let k = 0; k < 5; k++) await tick();
          events.push(`out ${i}`);
        }),
      ),
    );
    for (let k = 0; k < events.length; k += 2) expect(events[k + 1]).toBe(events[k]!.replace("in", "out"));
  });

  it("changes of different instances do not wait for each other, and overlapping multi-instance changes do not deadlock", async () => {
    let enteredB!: () => void;
    const bIn = new Promise<void>((r) => (enteredB = r));
    // A holds 80 and waits until B is inside 81: it could not finish if 81 waited for 80.
    await Promise.all([withInstanceLocks([ref(80)], () => bIn), withInstanceLocks([ref(81)], async () => enteredB())]);

    const order: number[] = [];
    await Promise.all([
      withInstanceLocks([ref(80), ref(81)], async () => {
        await tick();
        order.push(1);
      }),
      withInstanceLocks([ref(81), ref(80)], async () => {
        order.push(2);
      }),
    ]);
    expect(order).toEqual([1, 2]);
  });

  it("a failing change releases the lock", async () => {
    await expect(withInstanceLocks([ref(90)], () => Promise.reject(new Error("nacos down")))).rejects.toThrow("nacos down");
    expect(await withInstanceLocks([ref(90)], async () => "next")).toBe("next");
  });
});
