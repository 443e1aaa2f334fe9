/**
 * Structural validation of a Kubernetes object against the OpenAPI v3 schema of its CRD (as
 * the cluster serves it), with every problem at its path. Pure. Covers what CRD schemas use:
 * type, properties, required, additionalProperties, items, enum, pattern, lengths, bounds,
 * nullable, oneOf/anyOf/allOf/not (Istio's "at most one of" pattern), x-kubernetes-int-or-string
 * and x-kubernetes-preserve-unknown-fields. Unknown fields are errors: the API server would
 * drop them silently, which is how a mis-indented YAML line loses a route in production.
 * CEL rules (x-kubernetes-validations) are left to the server dry-run.
 */

export type PathSegment = string | number;

export interface SchemaIssue {
  path: PathSegment[];
  message: string;
}

export type OpenApiSchema = Record<string, unknown>;

const MAX_ISSUES = 200;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || "(root)";
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function schemaObj(value: unknown): OpenApiSchema | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as OpenApiSchema) : undefined;
}

function requiredOnly(s: OpenApiSchema): string[] | null {
  const keys = Object.keys(s);
  if (keys.length === 1 && Array.isArray(s.required)) return s.required.filter((r): r is string => typeof r === "string");
  return null;
}

/** "set at most one of a, b, c" for Istio's oneOf [not anyOf required…, required a, required b…]. */
function exclusiveFields(branches: OpenApiSchema[]): string[] | null {
  const fields: string[] = [];
  for (const b of branches) {
    const r = requiredOnly(b);
    if (r) {
      fields.push(...r);
      continue;
    }
    const not = schemaObj(b.not);
    if (not && Object.keys(b).length === 1 && Array.isArray(not.anyOf) && not.anyOf.every((x) => schemaObj(x) && requiredOnly(schemaObj(x)!))) continue;
    return null;
  }
  return fields.length ? [...new Set(fields)] : null;
}

function walk(value: unknown, schema: OpenApiSchema, path: PathSegment[], issues: SchemaIssue[]): void {
  if (issues.length >= MAX_ISSUES) return;
  const push = (message: string, at: PathSegment[] = path) => {
    if (issues.length < MAX_ISSUES) issues.push({ path: at, message });
  };
  if (value === null || value === undefined) {
    if (value === null && schema.nullable !== true && schema.type !== undefined && schema["x-kubernetes-preserve-unknown-fields"] !== true) {
      push(`must be ${article(String(schema.type))}, not null`);
    }
    return;
  }
  const actual = typeOf(value);
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  const declared = typeof schema.type === "string" ? schema.type : undefined;
  if (intOrString) {
    if (actual !== "integer" && actual !== "string") return push("must be an integer or a string");
  } else if (declared) {
    const ok = declared === actual || (declared === "number" && actual === "integer");
    if (!ok) return push(`must be ${article(declared)}, not ${article(actual)}`);
  }

  if (Array.isArray(schema.enum) && schema.enum.length > 0 && !schema.enum.some((e) => e === value)) {
    push(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) push(`must be at most ${schema.maxLength} characters`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength) push(`must be at least ${schema.minLength} characters`);
    if (typeof schema.pattern === "string") {
      let re: RegExp | null = null;
      try {
        re = new RegExp(schema.pattern, "u");
      } catch {
        re = null; // a pattern JavaScript cannot compile is left to the server
      }
      if (re && !re.test(value)) push(`must match ${schema.pattern}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.maximum === "number" && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) push(`must be at most ${schema.maximum}`);
    if (typeof schema.minimum === "number" && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) push(`must be at least ${schema.minimum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) push(`must have at most ${schema.maxItems} items`);
    if (typeof schema.minItems === "number" && value.length < schema.minItems) push(`must have at least ${schema.minItems} items`);
    const items = schemaObj(schema.items);
    if (items) value.forEach((v, i) => walk(v, items, [...path, i], issues));
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    const props = schemaObj(schema.properties);
    const additional = schema.additionalProperties;
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    for (const req of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof req === "string" && (obj[req] === undefined)) push(`${req} is required`, [...path, req]);
    }
    if (typeof schema.maxProperties === "number" && Object.keys(obj).length > schema.maxProperties) push(`must have at most ${schema.maxProperties} entries`);
    if (typeof schema.minProperties === "number" && Object.keys(obj).length < schema.minProperties) push(`must have at least ${schema.minProperties} entries`);
    for (const [k, v] of Object.entries(obj)) {
      const ps = props ? schemaObj(props[k]) : undefined;
      if (ps) walk(v, ps, [...path, k], issues);
      else if (schemaObj(additional)) walk(v, schemaObj(additional)!, [...path, k], issues);
      else if (additional === true || preserve) continue;
      else if (props || additional === false) push(`unknown field "${k}"`, [...path, k]);
    }
  }
  combinators(value, schema, path, issues, push);
}

function combinators(value: unknown, schema: OpenApiSchema, path: PathSegment[], issues: SchemaIssue[], push: (m: string, at?: PathSegment[]) => void): void {
  const test = (s: OpenApiSchema) => {
    const sub: SchemaIssue[] = [];
    walk(value, s, path, sub);
    return sub;
  };
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) if (schemaObj(s)) walk(value, schemaObj(s)!, path, issues);
  if (Array.isArray(schema.oneOf)) {
    const branches = schema.oneOf.map(schemaObj).filter((s): s is OpenApiSchema => Boolean(s));
    const matching = branches.filter((s) => test(s).length === 0).length;
    if (matching !== 1) {
      const fields = exclusiveFields(branches);
      if (fields && value && typeof value === "object") {
        const set = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined);
        push(set.length > 1 ? `set at most one of ${fields.join(", ")} (found ${set.join(", ")})` : `must set exactly one of ${fields.join(", ")}`);
      } else push(matching === 0 ? "matches none of the allowed forms" : "matches more than one of the allowed forms");
    }
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf.map(schemaObj).filter((s): s is OpenApiSchema => Boolean(s));
    if (branches.length && !branches.some((s) => test(s).length === 0)) {
      const req = branches.map(requiredOnly);
      push(req.every(Boolean) ? `must set one of ${req.flat().join(", ")}` : "matches none of the allowed forms");
    }
  }
  const not = schemaObj(schema.not);
  if (not && test(not).length === 0) {
    const anyOf = Array.isArray(not.anyOf) ? not.anyOf.map(schemaObj).map((s) => (s ? requiredOnly(s) : null)) : null;
    push(anyOf && anyOf.every(Boolean) ? `must not set ${anyOf.flat().join(" or ")} here` : "is in a form that is not allowed");
  }
  void issues;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Validates a whole object: `spec` (and any other top-level field the schema declares) against
 * the CRD schema; apiVersion, kind and metadata are the API server's own business and checked
 * by the caller.
 */
export function validateAgainstSchema(object: Record<string, unknown>, schema: OpenApiSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const props = schemaObj(schema.properties) ?? {};
  for (const [k, v] of Object.entries(object)) {
    if (k === "apiVersion" || k === "kind" || k === "metadata" || k === "status") continue;
    const ps = schemaObj(props[k]);
    if (!ps) {
      if (schema["x-kubernetes-preserve-unknown-fields"] !== true) issues.push({ path: [k], message: `unknown field "${k}"` });
      continue;
    }
    walk(v, ps, [k], issues);
  }
  for (const req of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof req === "string" && req !== "metadata" && object[req] === undefined) issues.push({ path: [req], message: `${req} is required` });
  }
  return issues;
}
