/**
 * The OpenAPI 3.1 document of /api/v1, generated from the catalog (lib/api-docs/catalog.ts) and
 * the zod schemas it names, with zod 4's `z.toJSONSchema` (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1). Request shapes are the schemas the routes validate with — as input, before
 * defaults and transforms. Response bodies are the zod schemas of lib/api-docs/responses (as
 * output), each tied to the view type its route returns; errors are problem+json
 * (lib/http/problem.ts) with one shared schema, under the statuses each route can answer.
 */
import "server-only";
import { z } from "zod";
import { CATALOG, type CatalogEntry } from "@/lib/api-docs/catalog";
import { ProblemSchema, responseSpec } from "@/lib/api-docs/responses";

type Json = Record<string, unknown>;

/** JSON Schema of a zod schema as the route reads it; what JSON Schema cannot say becomes `{}`. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): Json {
  try {
    const s = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
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

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted: sent, but the backend did not confirm in time (outcome \"unknown\")",
  204: "No content",
  400: "Invalid input: `errors` names each field",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found, or not visible to the caller",
  409: "Conflict: the object changed since it was read",
  422: "Understood but refused: the request cannot be carried out as asked",
  429: "Too many attempts: `retryAfter` seconds",
  500: "Internal error (logged with the request id)",
  502: "A backend refused or is unreachable: the detail names it",
  503: "The console's own database, audit log or LDAP is unavailable",
  504: "A backend timed out: the detail names it",
};

function responses(e: CatalogEntry): Json {
  const spec = responseSpec(e.method, e.path);
  const out: Json = {};
  for (const status of spec.success) {
    const content: Json = {};
    if (spec.body) for (const t of spec.contentTypes) content[t] = { schema: jsonSchema(spec.body, "output") };
    for (const [t, description] of Object.entries(spec.streams ?? {})) content[t] = { schema: { type: "string", description } };
    out[String(status)] = { description: STATUS_TEXT[status] ?? "Success", ...(Object.keys(content).length ? { content } : {}) };
  }
  for (const status of spec.errors) out[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  return out;
}

/** One response object per problem status, shared by every operation. */
function problemResponses(): Json {
  const statuses = [...new Set(CATALOG.flatMap((e) => responseSpec(e.method, e.path).errors))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((s) => [`Problem${s}`, { description: STATUS_TEXT[s] ?? "Error", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } }]),
  );
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
    responses: responses(e),
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
      schemas: { Problem: jsonSchema(ProblemSchema, "output") },
      responses: problemResponses(),
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__Host-switchyard.session" },
      },
    },
  };
}
