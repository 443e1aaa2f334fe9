import { describe, expect, it } from "vitest";
import { HTTP_STATUS } from "@/lib/errors";
import { deadline, isTimeoutError, networkCode, upstreamTimeout, upstreamUnavailable } from "@/lib/upstream/errors";

describe("lib/upstream: one error shape for every backend client", () => {
  it("a timeout is a 504 and an unreachable backend a 502, both naming the system and the environment", () => {
    const t = upstreamTimeout({ system: "zookeeper", environment: "prod-hz" }, "getChildren /dubbo", 5000);
    expect([t.code, HTTP_STATUS[t.code], t.system, t.environment]).toEqual(["UPSTREAM_TIMEOUT", 504, "zookeeper", "prod-hz"]);
    expect(t.message).toContain("within 5000 ms");
    const u = upstreamUnavailable({ system: "nacos", environment: "prod-hz" }, "cannot reach Nacos at 10.0.0.1:8848 (ECONNREFUSED)");
    expect([u.code, HTTP_STATUS[u.code], u.system, u.environment]).toEqual(["UPSTREAM_UNAVAILABLE", 502, "nacos", "prod-hz"]);
    expect(u.userMessage).toMatch(/Nacos.*prod-hz/);
  });

  it("tells timeouts from other network failures, also when wrapped as cause", () => {
    expect(isTimeoutError(new DOMException("t", "TimeoutError"))).toBe(true);
    expect(isTimeoutError(new DOMException("a", "AbortError"))).toBe(true);
    expect(isTimeoutError(new TypeError("fetch failed", { cause: { code: "UND_ERR_CONNECT_TIMEOUT" } }))).toBe(true);
    expect(isTimeoutError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(false);
    expect(isTimeoutError(new Error("boom"))).toBe(false);
    expect(networkCode(new TypeError("fetch failed", { cause: { code: "ECONNRESET" } }))).toBe("ECONNRESET");
    expect(networkCode("not an error")).toBeUndefined();
  });

  it("a deadline rejects with the caller's error once it passes, and never after clear()", async () => {
    const d = deadline(5, () => new Error("late"));
    await expect(d.promise).rejects.toThrow("late");
    const cleared = deadline(5, () => new Error("must not fire"));
    cleared.clear();
    const winner = await Promise.race([cleared.promise, new Promise((r) => setTimeout(() => r("on time"), 30))]);
    expect(winner).toBe("on time");
  });
});
