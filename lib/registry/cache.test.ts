import { describe, expect, it, vi } from "vitest";
import { cachedRead, invalidate } from "@/lib/registry/cache";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
/** A fresh key per test: the cache is process-wide. */
const key = (name: string) => `test${++n}:${name}`;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("cachedRead", () => {
  it("serves a result until its TTL expires, then loads again", async () => {
    const k = key("ttl");
    const load = vi.fn(async () => load.mock.calls.length);
    expect(await cachedRead(k, 40, load)).toBe(1);
    expect(await cachedRead(k, 40, load)).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
    await sleep(80);
    expect(await cachedRead(k, 40, load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("coalesces concurrent reads of one key into one load", async () => {
    const k = key("coalesce");
    const d = deferred<{ v: string }>();
    const load = vi.fn(() => d.promise);
    const reads = [cachedRead(k, 1_000, load), cachedRead(k, 1_000, load), cachedRead(k, 1_000, load)];
    d.resolve({ v: "x" });
    const results = await Promise.all(reads);
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r === results[0] && r.v === "x")).toBe(true);
  });

  it("keeps different keys apart", async () => {
    const a = key("a");
    const b = key("b");
    expect(await cachedRead(a, 1_000, async () => "A")).toBe("A");
    expect(await cachedRead(b, 1_000, async () => "B")).toBe("B");
  });

  it("caches null and undefined results like any other", async () => {
    const k = key("null");
    const load = vi.fn(async () => null);
    expect(await cachedRead(k, 1_000, load)).toBeNull();
    expect(await cachedRead(k, 1_000, load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("does not cache failures: every waiter sees the error, the next read loads again", async () => {
    const k = key("fail");
    const d = deferred<string>();
    const failing = vi.fn(() => d.promise);
    const reads = [cachedRead(k, 1_000, failing), cachedRead(k, 1_000, failing)];
    d.reject(new Error("upstream down"));
    for (const r of reads) await expect(r).rejects.toThrow("upstream down");
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cachedRead(k, 1_000, async () => "ok")).toBe("ok");
  });
});

describe("invalidate", () => {
  it("drops every key under the prefix and only those", async () => {
    const p = key("env1:");
    const other = key("env2:");
    const load = vi.fn(async () => load.mock.calls.length);
    await cachedRead(`${p}svc:a`, 1_000, load);
    await cachedRead(`${p}svc:b`, 1_000, load);
    await cachedRead(`${other}svc:a`, 1_000, load);
    expect(load).toHaveBeenCalledTimes(3);
    invalidate(p);
    expect(await cachedRead(`${p}svc:a`, 1_000, load)).toBe(4);
    expect(await cachedRead(`${p}svc:b`, 1_000, load)).toBe(5);
    expect(await cachedRead(`${other}svc:a`, 1_000, load)).toBe(3);
  });

  it("reaches a load in flight: its waiters get the value, the next read loads afresh", async () => {
    const k = key("inflight");
    const d = deferred<string>();
    const waiting = cachedRead(k, 1_000, () => d.promise);
    invalidate(k);
    d.resolve("before the write");
    expect(await waiting).toBe("before the write");
    expect(await cachedRead(k, 1_000, async () => "after the write")).toBe("after the write");
  });
});
