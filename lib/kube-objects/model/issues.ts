/**
 * One shape for every problem found in an object before it is applied: structural (the CRD
 * schema, YAML syntax, metadata) and semantic (an area's own rules, e.g. lib/mesh/validate).
 * Pure; shared by server and client.
 */
export type IssueSeverity = "error" | "warning" | "info";

export interface ObjectIssue {
  /** Stable rule id, e.g. SY-K001 (schema) or SY-M010 (a mesh rule). */
  ruleId: string;
  severity: IssueSeverity;
  /** Dotted path inside the object ("spec.http[0].route[1].weight"), "(root)" for the whole. */
  path: string;
  /** The message in English and 简体中文. */
  message: string;
  messageZh: string;
  /** The object the issue is about (kind/namespace/name), when validating several. */
  object?: { kind: string; namespace?: string; name?: string };
  /** Position in the YAML the object came from (1-based), when it came from YAML. */
  line?: number;
  column?: number;
  /** Index of the YAML document in a multi-document stream. */
  document?: number;
}

/** Generic rule ids of lib/kube-objects. */
export const KUBE_RULES = {
  yamlSyntax: "SY-K001",
  schema: "SY-K002",
  metadata: "SY-K003",
  noSchema: "SY-K004",
} as const;

export function hasErrors(issues: readonly ObjectIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}
