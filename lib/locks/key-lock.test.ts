/**
 * lib/locks/key-lock.ts in one process on the embedded database, where the in-process queue
 * is the whole lock. The advisory lock across replicas is proved with two console processes by
 * its users' integration tests (lib/configs/configs.integration.test.ts, concurrent creates;
 * lib/registry/instance-change.integration.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { setProcessDatabase } from "@/lib/database";
import { AppError } from "@/lib/errors";
import { withKeyLocks, type KeyLockOptions } from "@/lib/locks/key-lock";

const busy = () => new AppError("SERVICE_UNAVAILABLE", "busy");
const A: KeyLockOptions = { lockClass: 1, waitMs: 10_000, busy };
const B: KeyLockOptions = { lockClass: 2, waitMs: 10_000, busy };
const tick = () => new Promise((r) => setImmediate(r));

beforeAll(() => {
  // The embedded kind: no database call is made.
  setProcessDatabase({ kind: "pglite", db: {} as DatabaseHandle["db"], close: async () => undefined });
});

describe("withKeyLocks (one process)", () => {
  it("holders of one key run one at a time, in the order they asked", async () => {
    const events: string[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        withKeyLocks(["k"], A, async () => {
          events.push(`in ${i}`);
          for (let k = 0; k < 5; k++) await tick();
          events.push(`out ${i}`);
        }),
      ),
    );
    expect(events).toEqual(["in 1", "out 1", "in 2", "out 2", "in 3", "out 3", "in 4", "out 4"]);
  });

  it("answers what fn answers", async () => {
    expect(await withKeyLocks(["k"], A, async () => 42)).toBe(42);
  });

  it("different keys, and the same key in another lock class, do not wait for each other", async () => {
    let enteredOther!: () => void;
    const otherIn = new Promise<void>((r) => (enteredOther = r));
    // The first holder waits until the other is inside: it could not finish if the other waited for it.
    await Promise.all([withKeyLocks(["x"], A, () => otherIn), withKeyLocks(["y"], A, async () => enteredOther())]);

    let enteredB!: () => void;
    const bIn = new Promise<void>((r) => (enteredB = r));
    await Promise.all([withKeyLocks(["x"], A, () => bIn), withKeyLocks(["x"], B, async () => enteredB())]);
  });

  it("multi-key holders take keys in one order (no deadlock) and duplicates once", async () => {
    const order: number[] = [];
    await Promise.all([
      withKeyLocks(["p", "q"], A, async () => {
        await tick();
        order.push(1);
      }),
      withKeyLocks(["q", "p", "q"], A, async () => {
        order.push(2);
      }),
    ]);
    expect(order).toEqual([1, 2]);
  });

  it("a waiter past the wait gets busy() and fn never runs; the queue still moves on", async () => {
    let release!: () => void;
    const held = withKeyLocks(["slow"], A, () => new Promise<void>((r) => (release = r)));
    await tick();
    let ran = false;
    await expect(
      withKeyLocks(["slow"], { ...A, waitMs: 20 }, async () => {
        ran = true;
      }),
    ).rejects.toThrow("busy");
    expect(ran).toBe(false);
    release();
    await held;
    expect(await withKeyLocks(["slow"], A, async () => "after")).toBe("after");
  });

  it("a failing holder releases the lock", async () => {
    await expect(withKeyLocks(["f"], A, () => Promise.reject(new Error("backend down")))).rejects.toThrow("backend down");
    expect(await withKeyLocks(["f"], A, async () => "next")).toBe("next");
  });
});
