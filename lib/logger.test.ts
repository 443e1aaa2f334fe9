import { afterEach, describe, expect, it, vi } from "vitest";
import { logger, pretty } from "@/lib/logger";

describe("logger", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("pretty: time, level, message, then key=value", () => {
    expect(pretty({ time: "2026-12-01T12:00:01.123Z", level: "info", msg: "request", method: "GET", route: "/api/v1/me", status: 200, actor: "a b" }, false)).toBe(
      '12:00:01.123 INFO  request  method=GET route=/api/v1/me status=200 actor="a b"',
    );
  });

  it("SWITCHYARD_LOG_FORMAT=pretty writes one readable line, still redacted; JSON lines otherwise", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    vi.stubEnv("SWITCHYARD_LOG_FORMAT", "pretty");
    logger.info("signed in", { user: "alice", password: "hunter2" });
    vi.stubEnv("SWITCHYARD_LOG_FORMAT", "json");
    logger.info("signed in", { user: "alice", password: "hunter2" });
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  signed in {2}user=alice password=\S+\n$/);
    expect(out.join("")).not.toContain("hunter2");
    expect(JSON.parse(out[1]!)).toMatchObject({ level: "info", msg: "signed in", user: "alice" });
  });
});
