/**
 * Every /api/v1 route's responses for the OpenAPI document: its success status(es) with the zod
 * schema of the body (generated from the view type the route returns, ./views.ts), and the
 * problem+json statuses it can answer with one shared Problem schema. The integration suite
 * records real responses and validates them against the document built from this
 * (lib/api-docs/response-check.ts).
 */
import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";
import type { Problem } from "@/lib/http/problem";
import { ACCESS_RESPONSES } from "@/lib/api-docs/responses/access";
import { AUDIT_RESPONSES } from "@/lib/api-docs/responses/audit";
import { AUTH_RESPONSES } from "@/lib/api-docs/responses/auth";
import { CONFIGS_RESPONSES } from "@/lib/api-docs/responses/configs";
import { ENVIRONMENTS_RESPONSES } from "@/lib/api-docs/responses/environments";
import { GATEWAY_RESPONSES } from "@/lib/api-docs/responses/gateway";
import { MESH_RESPONSES } from "@/lib/api-docs/responses/mesh";
import { OVERVIEW_RESPONSES } from "@/lib/api-docs/responses/overview";
import { PROFILE_RESPONSES } from "@/lib/api-docs/responses/profile";
import { REGISTRY_RESPONSES } from "@/lib/api-docs/responses/registry";
import type { Check } from "@/lib/api-docs/responses/json";

/** RFC 9457 problem details as lib/http/problem.ts writes them; conflicts and rate limits add fields. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(ERROR_CODES),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe("each invalid field, named"),
    retryAfter: z.number().optional().describe("seconds to wait (429)"),
  })
  .catchall(z.unknown())
  .describe("RFC 9457 problem details; `errors` names each invalid field");

/** Every problem the schema allows is one lib/http/problem.ts can build (its `code` is narrower here). */
export type ProblemCheck = Check<[z.output<typeof ProblemSchema>] extends [Problem] ? true : false>;

/** JSON success bodies, by "METHOD /path". */
export const RESPONSE_BODIES: Record<string, z.ZodType> = {
  ...ACCESS_RESPONSES,
  ...AUDIT_RESPONSES,
  ...AUTH_RESPONSES,
  ...CONFIGS_RESPONSES,
  ...ENVIRONMENTS_RESPONSES,
  ...GATEWAY_RESPONSES,
  ...MESH_RESPONSES,
  ...OVERVIEW_RESPONSES,
  ...PROFILE_RESPONSES,
  ...REGISTRY_RESPONSES,
};

export interface ResponseSpec {
  /** Success statuses; each has the body schema (null: no body) and its media types. */
  success: number[];
  body: z.ZodType | null;
  contentTypes: string[];
  /** Further media types of the success answer, each a stream described in words (the body schema is for JSON). */
  streams?: Record<string, string>;
  /** problem+json statuses. */
  errors: number[];
  /** false: the route has no response schema yet (the unit test names it; the document shows `{}`). */
  documented: boolean;
}

/** Answered with a resource created: 201. */
const CREATED = new Set([
  "POST /api/v1/access/bindings",
  "POST /api/v1/access/users",
  "POST /api/v1/environments/{name}/configs/{group}/{dataId}/gray",
  "POST /api/v1/environments/{name}/configs",
  "POST /api/v1/environments",
  "POST /api/v1/me/tokens",
]);
/** Create-or-replace: 201 when it created, 200 when it replaced. */
const UPSERT = new Set(["PUT /api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}", "PUT /api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}"]);
/** 202 when the backend did not confirm the change in time (outcome "unknown"). */
const ACCEPTED = new Set(["PATCH /api/v1/environments/{name}/services/{group}/{service}/instance", "POST /api/v1/sites/{site}/disable"]);

/** Routes that call a backend (Nacos, ZooKeeper, Kubernetes, LDAP, Prometheus): 502 and 504 name it. */
function reachesBackend(path: string, method: string): boolean {
  return /^\/api\/v1\/(environments\/\{name\}|sites|access\/groups|overview)/.test(path) || (path === "/api/v1/environments" && method === "POST");
}

export function responseSpec(method: string, path: string): ResponseSpec {
  const key = `${method} ${path}`;
  if (key === "POST /api/v1/auth/sign-in") return { success: [200], body: RESPONSE_BODIES[key]!, contentTypes: ["application/json"], errors: [400, 401, 403, 429, 500, 503], documented: true };
  if (key === "POST /api/v1/auth/sign-out") return { success: [204], body: null, contentTypes: [], errors: [403, 500, 503], documented: true };
  if (key === "GET /api/v1/auth/sources") return { success: [200], body: RESPONSE_BODIES[key]!, contentTypes: ["application/json"], errors: [500], documented: true };
  const errors = [400, 401, 403, 404, ...(method === "GET" ? [] : [409, 422]), 500, 503, ...(reachesBackend(path, method) ? [502, 504] : [])].sort((a, b) => a - b);
  if (key === "GET /api/v1/audit/export") {
    return { success: [200], body: null, contentTypes: [], streams: { "text/csv": "the audit events as CSV", "application/x-ndjson": "one JSON audit event per line" }, errors, documented: true };
  }
  if (key === "GET /api/v1/openapi.json") return { success: [200], body: z.record(z.string(), z.unknown()).describe("this document"), contentTypes: ["application/json"], errors, documented: true };
  if (key === "POST /api/v1/environments/{name}/configs/export") {
    return { success: [200], body: null, contentTypes: [], streams: { "application/zip": "the configs in Nacos' export layout (x-export-count, x-export-redacted headers)" }, errors, documented: true };
  }
  const body = RESPONSE_BODIES[key];
  const streams = /\/configs\/(import|clone)$/.test(path) ? { "application/x-ndjson": 'with `Accept: application/x-ndjson`: one {"progress":…} line per item, then {"result":…} or {"error":…}' } : undefined;
  const success = CREATED.has(key) ? [201] : UPSERT.has(key) ? [200, 201] : ACCEPTED.has(key) ? [200, 202] : [200];
  return { success, body: body ?? z.unknown(), contentTypes: ["application/json"], ...(streams ? { streams } : {}), errors, documented: body !== undefined };
}
