import { describe, expect, it } from "vitest";
import { formatPath, validateAgainstSchema, type OpenApiSchema } from "./openapi-validate";
import { parseObjectsYaml, toYaml } from "./yaml-source";

// The shape of Istio's CRD schemas: "at most one of exact / prefix / regex", int-or-string ports, maps.
const stringMatch: OpenApiSchema = {
  type: "object",
  properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
  oneOf: [{ not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] } }, { required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }],
};
const schema: OpenApiSchema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["hosts"],
      properties: {
        hosts: { type: "array", items: { type: "string" } },
        port: { "x-kubernetes-int-or-string": true },
        mode: { type: "string", enum: ["STRICT", "PERMISSIVE"] },
        labels: { type: "object", additionalProperties: { type: "string" } },
        uri: stringMatch,
        weight: { type: "integer", minimum: 0, maximum: 100 },
      },
    },
    status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

const issues = (spec: unknown) => validateAgainstSchema({ apiVersion: "x/v1", kind: "X", metadata: { name: "a" }, spec } as Record<string, unknown>, schema).map((i) => `${formatPath(i.path)}: ${i.message}`);

describe("CRD schema validation", () => {
  it("passes a valid object", () => {
    expect(issues({ hosts: ["a"], port: "http", mode: "STRICT", labels: { a: "b" }, uri: { prefix: "/" }, weight: 10 })).toEqual([]);
  });
  it("names each problem at its path", () => {
    expect(issues({ hosts: "a", port: 1.5, mode: "strict", labels: { a: 1 }, weight: 101, htp: [] })).toEqual([
      "spec.hosts: must be an array, not a string",
      "spec.port: must be an integer or a string",
      'spec.mode: must be one of "STRICT", "PERMISSIVE"',
      "spec.labels.a: must be a string, not an integer",
      "spec.weight: must be at most 100",
      'spec.htp: unknown field "htp"',
    ]);
    expect(issues({})).toEqual(["spec.hosts: hosts is required"]);
  });
  it("says which of the exclusive fields are set twice", () => {
    expect(issues({ hosts: ["a"], uri: { exact: "/a", prefix: "/" } })).toEqual(["spec.uri: set at most one of exact, prefix, regex (found exact, prefix)"]);
  });
});

describe("YAML positions", () => {
  it("locates a path, or its nearest present ancestor, at line and column", () => {
    const parsed = parseObjectsYaml("kind: X\nspec:\n  hosts:\n  - a\n  - b\n");
    if (!parsed.ok) throw new Error("parse failed");
    const d = parsed.documents[0]!;
    expect(d.locate(["spec", "hosts", 1])).toEqual({ line: 5, column: 5 });
    expect(d.locate(["spec", "missing"])).toEqual({ line: 2, column: 1 });
  });
  it("reports syntax errors at their line; keys come out sorted", () => {
    const parsed = parseObjectsYaml("a: 1\nb: [\n");
    expect(parsed.ok).toBe(false);
    expect(toYaml({ spec: {}, kind: "X", apiVersion: "v1", metadata: { name: "a" } })).toBe("apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec: {}\n");
  });
});
