import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { problemFor } from "@/lib/http/problem";
import { assertSameOrigin } from "@/lib/http/route";

const req = (method: string, headers: Record<string, string>) => new Request("http://console.example/api/v1/x", { method, headers });

describe("assertSameOrigin (docs/security.md §29)", () => {
  it("lets reads through", () => {
    expect(() => assertSameOrigin(req("GET", { origin: "http://evil.example" }))).not.toThrow();
  });
  it("accepts same-origin browser writes", () => {
    expect(() => assertSameOrigin(req("POST", { origin: "http://console.example", host: "console.example", "sec-fetch-site": "same-origin" }))).not.toThrow();
  });
  it.each([
    ["cross-site fetch", { origin: "http://evil.example", host: "console.example", "sec-fetch-site": "cross-site" }],
    ["same-site sibling", { origin: "http://a.console.example", host: "console.example", "sec-fetch-site": "same-site" }],
    ["foreign origin without fetch metadata", { origin: "http://evil.example", host: "console.example" }],
    ["no origin and no fetch metadata", { host: "console.example" }],
    ["null origin", { origin: "null", host: "console.example" }],
  ])("refuses %s", (_n, headers) => {
    expect(() => assertSameOrigin(req("POST", headers))).toThrow(AppError);
  });
  it("bearer tokens carry no ambient credentials and pass", () => {
    expect(() => assertSameOrigin(req("DELETE", { authorization: "Bearer x", host: "console.example" }))).not.toThrow();
  });
});

describe("problemFor", () => {
  it("names the fields of a validation error", () => {
    const p = problemFor(new AppError("VALIDATION", "bad", { fields: [{ field: "dataId", message: "invalid" }] }), "r1", "/api/v1/x");
    expect(p.status).toBe(400);
    expect(p.headers["content-type"]).toBe("application/problem+json");
    expect(p.body).toMatchObject({ code: "VALIDATION", requestId: "r1", errors: [{ field: "dataId" }] });
  });
  it("hides unexpected errors behind a plain message", () => {
    const p = problemFor(new Error("ECONNRESET at 10.0.0.5 password=hunter2"), "r2");
    expect(p.status).toBe(500);
    expect(JSON.stringify(p.body)).not.toContain("hunter2");
    expect(JSON.stringify(p.body)).not.toContain("ECONNRESET");
  });
  it("sets Retry-After on throttling", () => {
    expect(problemFor(new AppError("RATE_LIMITED", "x", { retryAfterSeconds: 30 }), "r3").headers["retry-after"]).toBe("30");
  });
});
