/**
 * The OpenAPI 3.1 document of /api/v1, generated from the catalog (lib/api-docs/catalog.ts) and
 * the zod schemas it names, with zod 4's `z.toJSONSchema` (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1). Request shapes are the schemas the routes validate with — as input, before
 * defaults and transforms. Errors are problem+json (lib/http/problem.ts).
 */
import "server-only";
import { z } from "zod";
import { CATALOG, type CatalogEntry } from "@/lib/api-docs/catalog";

type Json = Record<string, unknown>;

export const PROBLEM_SCHEMA: Json = {
  type: "object",
  description: "RFC 9457 problem details; `fields` names each invalid field",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    code: { type: "string" },
    requestId: { type: "string" },
    fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } },
  },
  required: ["title", "status"],
};

/** JSON Schema of a zod schema as the route reads it; what JSON Schema cannot say becomes `{}`. */
export function jsonSchema(schema: z.ZodType): Json {
  try {
    const s = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
    delete s.$schema;
    return s;
  } catch {
    return { description: "(not representable in JSON Schema)" };
  }
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** Input keys that the route fills from the path, not from the body or query. */
function fromPath(path: string): Set<string> {
  const params = pathParams(path);
  const keys = new Set(params);
  if (params.includes("name")) keys.add("environment");
  if (params.includes("service")) keys.add("serviceName");
  if (params.includes("object") || params.includes("objname")) keys.add("name");
  if (params.includes("tokenId")) keys.add("id");
  return keys;
}

function withoutKeys(schema: Json, keys: Set<string>): Json {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props) return schema;
  const properties = Object.fromEntries(Object.entries(props).filter(([k]) => !keys.has(k)));
  const required = ((schema.required as string[] | undefined) ?? []).filter((k) => !keys.has(k));
  return { ...schema, properties, ...(required.length ? { required } : { required: undefined }) };
}

function isEmptyObject(schema: Json): boolean {
  return schema.type === "object" && Object.keys((schema.properties as Json | undefined) ?? {}).length === 0 && !schema.additionalProperties;
}

function queryParameters(schema: Json, skip: Set<string>): Json[] {
  const props = (schema.properties as Record<string, Json> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props)
    .filter(([k]) => !skip.has(k))
    .map(([name, s]) => ({ name, in: "query", required: required.has(name) && s.default === undefined, schema: s }));
}

function operationId(e: CatalogEntry): string {
  const words = e.path
    .replace(/^\/api\/v1\//, "")
    .split(/[/{}.\-_]+/)
    .filter(Boolean);
  return [e.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join("");
}

function operationObject(e: CatalogEntry): Json {
  const skip = fromPath(e.path);
  const parameters: Json[] = pathParams(e.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  const input = e.op ? withoutKeys(jsonSchema(e.op.input), skip) : e.body ? jsonSchema(e.body) : undefined;
  const hasBody = e.method === "POST" || e.method === "PUT" || e.method === "PATCH";
  if (e.query) parameters.push(...queryParameters(jsonSchema(e.query), skip));
  if (input && !hasBody) parameters.push(...queryParameters(input, new Set(parameters.map((p) => String(p.name)))));
  const op: Json = {
    operationId: operationId(e),
    summary: e.summary,
    tags: [e.path.split("/")[3] ?? "api"],
    parameters,
    responses: {
      [e.method === "POST" && /create|register/i.test(e.summary) ? "201" : "200"]: { description: "Success", content: { "application/json": { schema: {} } } },
      default: { description: "An error, as problem+json", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
    },
  };
  if (hasBody && input && !isEmptyObject(input)) op.requestBody = { required: true, content: { "application/json": { schema: input } } };
  if (e.op) {
    op["x-permission"] = e.op.permission;
    op["x-audit-action"] = e.op.action;
  }
  if (e.public) op.security = [];
  return op;
}

export function buildOpenApi(version = process.env.npm_package_version ?? "0.1.0"): Json {
  const paths: Record<string, Json> = {};
  for (const e of CATALOG) (paths[e.path] ??= {})[e.method.toLowerCase()] = operationObject(e);
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchyard API",
      version,
      description:
        "The console's REST API. Authenticate with an API token (Settings → Tokens) as `Authorization: Bearer <token>`, or with the session cookie of a signed-in browser (state-changing browser requests must be same-origin). Errors are application/problem+json.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__Host-switchyard.session" },
      },
    },
  };
}
