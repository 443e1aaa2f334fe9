/**
 * Checks real responses against the OpenAPI document (issue #17: "each route's real responses in
 * the integration suite validate against it"). Each recorded response (lib/metrics/record-response.ts)
 * is matched to its path template and method; its status must be one the document lists, its
 * media type the one listed for that status, and its body must validate (ajv, JSON Schema
 * 2020-12) — a problem's `status` must also be the HTTP status. Problems are named by route,
 * status and the schema error.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import type { RecordedResponse } from "@/lib/metrics/record-response";

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
}

export interface CheckReport {
  checked: number;
  /** "METHOD /template" of every route with at least one recorded response. */
  routesSeen: Set<string>;
  /** Every route the document lists, as "METHOD /template". */
  routesDocumented: string[];
  problems: string[];
}

const METHODS = ["get", "post", "put", "patch", "delete"];

function templateRegex(template: string): RegExp {
  const src = template
    .split("/")
    .map((seg) => (/^\{\w+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${src}$`);
}

export function responseChecker(doc: Json) {
  const d = doc as unknown as Doc;
  const templates = Object.keys(d.paths).map((t) => ({ t, re: templateRegex(t), literal: t.split("/").filter((s) => !s.startsWith("{")).length }));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ValidateFunction>();
  /** The one $ref the document's schemas use: the shared Problem. */
  const deref = (schema: Json): Json => (schema.$ref === "#/components/schemas/Problem" ? d.components.schemas.Problem! : schema);

  /** The template a concrete pathname belongs to: literal segments win over parameters (`/mesh/apply` over `/mesh/{kind}`). */
  function templateOf(pathname: string): string | undefined {
    let decoded = pathname;
    try {
      decoded = pathname.split("/").map(decodeURIComponent).join("/");
    } catch {
      // keep as sent
    }
    const hits = templates.filter((x) => x.re.test(pathname) || x.re.test(decoded)).sort((a, b) => b.literal - a.literal);
    return hits[0]?.t;
  }

  function check(r: RecordedResponse): { route: string | undefined; problems: string[] } {
    const template = templateOf(r.path);
    if (!template) return { route: undefined, problems: [`${r.method} ${r.path}: no such path in the OpenAPI document`] };
    const route = `${r.method} ${template}`;
    const op = d.paths[template]![r.method.toLowerCase()];
    if (!op) return { route: undefined, problems: [`${route}: method not in the OpenAPI document`] };
    let response = op.responses[String(r.status)];
    if (!response) return { route, problems: [`${route} → ${r.status}: status not listed in the OpenAPI document (lists ${Object.keys(op.responses).join(", ")})`] };
    if (typeof response.$ref === "string") response = d.components.responses[response.$ref.split("/").pop()!]!;
    const content = response.content as Record<string, { schema: Json }> | undefined;
    const mediaType = r.contentType?.split(";")[0]!.trim() ?? null;
    if (!content) return { route, problems: mediaType && r.body !== undefined ? [`${route} → ${r.status}: the document lists no body, got ${mediaType}`] : [] };
    if (!mediaType || !content[mediaType]) return { route, problems: [`${route} → ${r.status}: content type ${mediaType ?? "(none)"} not listed (lists ${Object.keys(content).join(", ")})`] };
    if (r.body === undefined) return { route, problems: [] }; // a stream (CSV, JSON Lines): its media type is what can be checked
    const key = `${route} ${r.status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(deref(content[mediaType]!.schema));
      compiled.set(key, validate);
    }
    const problems: string[] = [];
    if (!validate(r.body)) {
      const errs = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
      problems.push(`${route} → ${r.status}: body does not match the schema: ${errs.join("; ")}`);
    }
    if (mediaType === "application/problem+json" && (r.body as { status?: unknown }).status !== r.status) {
      problems.push(`${route} → ${r.status}: problem body says status ${String((r.body as { status?: unknown }).status)}`);
    }
    return { route, problems };
  }

  function checkAll(recorded: RecordedResponse[]): CheckReport {
    const report: CheckReport = { checked: 0, routesSeen: new Set(), routesDocumented: [], problems: [] };
    for (const [p, ops] of Object.entries(d.paths)) for (const m of Object.keys(ops)) if (METHODS.includes(m)) report.routesDocumented.push(`${m.toUpperCase()} ${p}`);
    const seen = new Set<string>();
    for (const r of recorded) {
      const { route, problems } = check(r);
      report.checked++;
      if (route) report.routesSeen.add(route);
      for (const p of problems) {
        if (seen.has(p)) continue;
        seen.add(p);
        report.problems.push(p);
      }
    }
    return report;
  }

  return { templateOf, check, checkAll };
}

/** Parses a JSON Lines recording, skipping a torn last line (a process killed mid-write). */
export function parseRecording(text: string): RecordedResponse[] {
  const out: RecordedResponse[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RecordedResponse);
    } catch {
      // torn line
    }
  }
  return out;
}
