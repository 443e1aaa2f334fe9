import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { problemFor } from "@/lib/http/problem";
import { z } from "zod";
import { assertSameOrigin, readBody, readJson, readQuery } from "@/lib/http/route";

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

describe("readBody / readJson: one way to read a JSON body", () => {
  const post = (body: string) => new Request("http://console.example/api/v1/x", { method: "POST", headers: { "content-type": "application/json" }, body });
  async function problemOf(p: Promise<unknown>) {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    return problemFor(e, "r", "/api/v1/x");
  }

  it("returns a JSON object body as it is", async () => {
    await expect(readBody(post('{"name":"a","n":1}'))).resolves.toEqual({ name: "a", n: 1 });
  });
  it.each([
    ["malformed JSON", "{name: a"],
    ["an empty body", ""],
  ])("answers %s with 400 problem+json naming (body)", async (_n, text) => {
    const p = await problemOf(readBody(post(text)));
    expect(p.status).toBe(400);
    expect(p.headers["content-type"]).toBe("application/problem+json");
    expect(p.body).toMatchObject({ code: "VALIDATION", errors: [{ field: "(body)" }] });
  });
  it.each([
    ["an array", "[1,2]"],
    ["a string", '"x"'],
    ["a number", "1"],
    ["null", "null"],
  ])("answers a non-object body (%s) with 400 naming (body)", async (_n, text) => {
    const p = await problemOf(readBody(post(text)));
    expect(p.status).toBe(400);
    expect(p.body).toMatchObject({ code: "VALIDATION", errors: [{ field: "(body)" }] });
  });
  it("readJson names (body) for malformed JSON and the field for a schema failure", async () => {
    const schema = z.object({ name: z.string().min(1) });
    expect((await problemOf(readJson(post("{"), schema))).body).toMatchObject({ errors: [{ field: "(body)" }] });
    expect((await problemOf(readJson(post('{"name":""}'), schema))).body).toMatchObject({ errors: [{ field: "name" }] });
    await expect(readJson(post('{"name":"a"}'), schema)).resolves.toEqual({ name: "a" });
  });
});

describe("readQuery: one way to read a query string (#10 item 7)", () => {
  const get = (qs: string) => new Request(`http://console.example/api/v1/x${qs}`);
  const schema = z.object({ page: z.coerce.number().int().min(1).default(1), namespace: z.string().regex(/^[a-z]*$/).default(""), serviceName: z.string().min(1) });
  const problemOf = (fn: () => unknown) => {
    let e: unknown = null;
    try {
      fn();
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(AppError);
    return problemFor(e, "r", "/api/v1/x");
  };

  it("parses and defaults the parameters, path parameters included", () => {
    expect(readQuery(get("?page=3"), schema, { serviceName: "orders" })).toEqual({ page: 3, namespace: "", serviceName: "orders" });
  });
  it.each([
    ["a bad number", "?page=abc", { serviceName: "s" }, "page"],
    ["a bad namespace", "?namespace=Bad!", { serviceName: "s" }, "namespace"],
    ["a missing path parameter", "", {}, "serviceName"],
  ])("answers %s with 400 problem+json naming the parameter", (_n, qs, path, field) => {
    const p = problemOf(() => readQuery(get(qs), schema, path));
    expect(p.status).toBe(400);
    expect(p.headers["content-type"]).toBe("application/problem+json");
    expect(p.body).toMatchObject({ code: "VALIDATION", errors: [{ field }] });
  });
  it("a path parameter wins over a query parameter of the same name", () => {
    expect(readQuery(get("?serviceName=other"), schema, { serviceName: "orders" }).serviceName).toBe("orders");
  });
});
