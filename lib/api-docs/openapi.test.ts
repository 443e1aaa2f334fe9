/**
 * The API reference covers the API: every route file under app/api/v1, every method it exports,
 * is in the OpenAPI document — and nothing else is. A route that validates its body with an
 * operation or its query with a schema has that schema in the document. Failure messages say the
 * exact line to add to lib/api-docs/catalog.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG } from "@/lib/api-docs/catalog";
import { buildOpenApi, pathParams } from "@/lib/api-docs/openapi";
import { responseChecker } from "@/lib/api-docs/response-check";
import { responseSpec } from "@/lib/api-docs/responses";

const ROOT = path.resolve(__dirname, "../..");
const API = path.join(ROOT, "app", "api", "v1");

interface DiskRoute {
  method: string;
  path: string;
  file: string;
  summary: string;
  /** `X` of `X.execute(` in this method's handler */
  op?: string;
  /** `S` of `readQuery(req, S` in this method's handler */
  query?: string;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name === "route.ts" ? [path.join(dir, d.name)] : []));
}

function diskRoutes(): DiskRoute[] {
  return walk(API).flatMap((file) => {
    const src = fs.readFileSync(file, "utf8");
    const apiPath = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
    const summary = /^\/\/ [A-Z|]+ \S+ [–-] (.*)$/m.exec(src)?.[1] ?? "…";
    const blocks = src.split(/(?=^export (?:const|async function) (?:GET|POST|PUT|PATCH|DELETE)\b)/m).slice(1);
    return blocks.map((b) => ({
      method: /^export (?:const|async function) (\w+)/.exec(b)![1]!,
      path: apiPath,
      file: path.relative(ROOT, file),
      summary,
      op: /(\w+)\.execute\(/.exec(b)?.[1],
      query: /readQuery\(req, (\w+)/.exec(b)?.[1],
    }));
  });
}

/**
 * Query schemas declared inside a route file, which the catalog cannot import (nothing imports
 * app/). Each is to move to its lib/<area> module and be named in the catalog; the test fails when
 * a new one appears, and when one of these has moved (so the list only shrinks).
 */
const ROUTE_LOCAL_SCHEMAS = new Set([
  "DELETE /api/v1/environments/{name}/configs/{group}/{dataId} DeleteQuery",
  "GET /api/v1/environments/{name}/znodes ZnodeQuery",
]);

function lineToAdd(r: DiskRoute): string {
  const extra = `${r.op ? `, op: op(${r.op})` : ""}${r.query ? `, query: ${r.query}` : ""}`;
  return `{ method: "${r.method}", path: "${r.path}", summary: ${JSON.stringify(r.summary.slice(0, 120))}${extra} },`;
}

describe("OpenAPI document", () => {
  const doc = buildOpenApi() as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
  const routes = diskRoutes();

  it("holds every route on disk, and only those", () => {
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method.toLowerCase()]);
    expect(
      missing.map((r) => `${r.method} ${r.path} (${r.file}) — add to CATALOG in lib/api-docs/catalog.ts:\n  ${lineToAdd(r)}`),
      "routes missing from the API reference",
    ).toEqual([]);
    const onDisk = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const stale = CATALOG.filter((e) => !onDisk.has(`${e.method} ${e.path}`));
    expect(stale.map((e) => `${e.method} ${e.path} — no such route under app/api/v1: remove it from lib/api-docs/catalog.ts`), "catalog entries without a route").toEqual([]);
    const twice = CATALOG.filter((e, i) => CATALOG.findIndex((o) => o.method === e.method && o.path === e.path) !== i);
    expect(twice.map((e) => `${e.method} ${e.path}`), "catalog entries listed twice").toEqual([]);
  });

  it("names the schemas the routes validate with", () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const entry = CATALOG.find((e) => e.method === r.method && e.path === r.path);
      if (!entry) continue;
      if (r.op && entry.op === undefined) wrong.push(`${r.method} ${r.path} executes ${r.op}: add \`op: op(${r.op})\` to its catalog entry`);
      const local = r.query !== undefined && new RegExp(`^const ${r.query} = z\\.`, "m").test(fs.readFileSync(path.join(ROOT, r.file), "utf8"));
      const key = `${r.method} ${r.path} ${r.query}`;
      if (local !== ROUTE_LOCAL_SCHEMAS.has(key)) {
        wrong.push(
          local
            ? `${r.method} ${r.path} declares its query schema ${r.query} in ${r.file}: move it to lib/ and add \`query: ${r.query}\` to its catalog entry`
            : `${key} is no longer route-local: remove it from ROUTE_LOCAL_SCHEMAS in lib/api-docs/openapi.test.ts`,
        );
      }
      if (r.query && !local && entry.query === undefined) wrong.push(`${r.method} ${r.path} reads its query with ${r.query}: add \`query: ${r.query}\` to its catalog entry`);
      if (r.op && entry.op && !["GET", "DELETE"].includes(r.method)) {
        const o = doc.paths[r.path]![r.method.toLowerCase()]!;
        const props = ((o.requestBody as { content?: Record<string, { schema?: { properties?: object } }> } | undefined)?.content?.["application/json"]?.schema?.properties ?? {}) as object;
        if (Object.keys(props).length === 0) wrong.push(`${r.method} ${r.path}: ${r.op}.input gave no request body properties`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("is OpenAPI 3.1 with every path parameter declared and unique operation ids", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [m, o] of Object.entries(methods)) {
        const declared = ((o.parameters as Array<{ name: string; in: string }>) ?? []).filter((x) => x.in === "path").map((x) => x.name);
        if (declared.join() !== pathParams(p).join()) problems.push(`${m} ${p}: path parameters ${declared.join()} ≠ ${pathParams(p).join()}`);
        const id = String(o.operationId);
        if (ids.has(id)) problems.push(`${m} ${p}: duplicate operationId ${id}`);
        ids.add(id);
      }
    }
    expect(problems).toEqual([]);
    // The body of a real route, from its zod schema: PATCH /api/v1/me/preferences.
    const prefs = doc.paths["/api/v1/me/preferences"]!.patch! as { requestBody: { content: { "application/json": { schema: { properties: Record<string, { enum?: string[] }> } } } } };
    expect(prefs.requestBody.content["application/json"].schema.properties.theme?.enum).toEqual(["light", "dark", "system"]);
  });

  it("documents every route's responses: a success body schema and the problem statuses", () => {
    const undocumented = CATALOG.filter((e) => !responseSpec(e.method, e.path).documented).map(
      (e) => `${e.method} ${e.path}: add \`"${e.method} ${e.path}": <the type its handler returns>;\` to ResponseViews in lib/api-docs/responses/views.ts, then run \`node scripts/gen-response-schemas.mts\``,
    );
    expect(undocumented, "routes without a response schema").toEqual([]);
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [m, o] of Object.entries(methods)) {
        const statuses = Object.keys(o.responses as object);
        expect(statuses.some((s) => s.startsWith("2")), `${m} ${p} lists a success status`).toBe(true);
        expect(statuses, `${m} ${p} lists no catch-all`).not.toContain("default");
      }
    }
    // A real view: the token list names its fields and nothing else (a secret would be extra).
    const tokens = doc.paths["/api/v1/me/tokens"]!.get!.responses as Record<string, { content: Record<string, { schema: { items: { properties: object; additionalProperties: boolean } } }> }>;
    const item = tokens["200"]!.content["application/json"]!.schema.items;
    expect(Object.keys(item.properties)).toContain("expiresAt");
    expect(Object.keys(item.properties)).not.toContain("secret");
    expect(item.additionalProperties).toBe(false);
  });
});

describe("response check", () => {
  const checker = responseChecker(buildOpenApi());
  const token = { id: "t1", name: "ci", createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-02-01T00:00:00.000Z", lastUsedAt: null, revokedAt: null, environmentSelector: "*", namespacePattern: "*", readOnly: true, expired: false };
  const problem = { type: "/problems/not-found", title: "Not found", status: 404, code: "NOT_FOUND", detail: "Not found.", requestId: "r1", instance: "/api/v1/environments/prod" };

  it("matches a path to its template, literal segments first", () => {
    expect(checker.templateOf("/api/v1/environments/prod/mesh/apply")).toBe("/api/v1/environments/{name}/mesh/apply");
    expect(checker.templateOf("/api/v1/environments/prod/configs/namespaces")).toBe("/api/v1/environments/{name}/configs/namespaces");
    expect(checker.templateOf("/api/v1/environments/prod/configs/DEFAULT_GROUP/app.yaml")).toBe("/api/v1/environments/{name}/configs/{group}/{dataId}");
    expect(checker.templateOf("/api/v1/nothing")).toBeUndefined();
  });

  // Found by the first production-mode run: a ZooKeeper environment's service list carries
  // consumerCount, which listServices' declared (Nacos) item type hid from its schema.
  it("documents the ZooKeeper service list, consumerCount included", () => {
    const item = { name: "com.example.Echo", group: "DEFAULT_GROUP", clusterCount: 1, instanceCount: 1, healthyInstanceCount: 1, consumerCount: 2 };
    const r = checker.check({ method: "GET", path: "/api/v1/environments/zk/services", status: 200, contentType: "application/json", body: { total: 1, page: 1, pages: 1, items: [item] } });
    expect(r.problems).toEqual([]);
  });

  it("accepts a real shape and names route, status and schema error otherwise", () => {
    const ok = (body: unknown, status = 200, path = "/api/v1/me/tokens", contentType = "application/json") => checker.check({ method: "GET", path, status, contentType, body }).problems;
    expect(ok([token])).toEqual([]);
    expect(ok(problem, 404, "/api/v1/environments/prod", "application/problem+json")).toEqual([]);
    expect(ok([{ ...token, secret: "sy_x" }])).toEqual(["GET /api/v1/me/tokens → 200: body does not match the schema: /0 must NOT have additional properties (secret)"]);
    expect(ok([{ ...token, readOnly: "yes" }])[0]).toMatch(/^GET \/api\/v1\/me\/tokens → 200: body does not match the schema: \/0\/readOnly must be boolean/);
    expect(ok([token], 201)[0]).toMatch(/^GET \/api\/v1\/me\/tokens → 201: status not listed/);
    expect(ok([token], 200, "/api/v1/me/tokens", "text/html")[0]).toMatch(/content type text\/html not listed/);
    expect(ok({ ...problem, status: 400 }, 404, "/api/v1/environments/prod", "application/problem+json")).toEqual(["GET /api/v1/environments/{name} → 404: problem body says status 400"]);
    expect(ok({ detail: "x" }, 404, "/api/v1/environments/prod", "application/problem+json")[0]).toMatch(/must have required property 'type'/);
  });
});
