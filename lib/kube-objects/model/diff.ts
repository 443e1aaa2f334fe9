/**
 * What an apply would change: the object as the console would write it, and the live one, both
 * reduced to what the operator controls (labels, annotations, spec), as YAML, line by line. Pure.
 */
import { diffLines, type DiffLine } from "@/lib/diff";
import { toYaml } from "@/lib/kube-objects/model/yaml-source";

export interface EditableObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [extra: string]: unknown;
}

const SERVER_ANNOTATIONS = ["kubectl.kubernetes.io/last-applied-configuration"];

/** The operator-controlled part of an object: apiVersion, kind, name, namespace, labels, annotations, spec. */
export function editablePart(object: unknown): EditableObject | null {
  if (!object || typeof object !== "object") return null;
  const o = object as Record<string, unknown>;
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  const annotations = m.annotations && typeof m.annotations === "object" ? { ...(m.annotations as Record<string, string>) } : undefined;
  if (annotations) for (const a of SERVER_ANNOTATIONS) delete annotations[a];
  const metadata: EditableObject["metadata"] = {};
  if (typeof m.name === "string") metadata.name = m.name;
  if (typeof m.namespace === "string") metadata.namespace = m.namespace;
  if (m.labels && typeof m.labels === "object" && Object.keys(m.labels).length) metadata.labels = m.labels as Record<string, string>;
  if (annotations && Object.keys(annotations).length) metadata.annotations = annotations;
  const out = {} as EditableObject;
  if (typeof o.apiVersion === "string") out.apiVersion = o.apiVersion;
  if (typeof o.kind === "string") out.kind = o.kind;
  out.metadata = metadata;
  if (o.spec !== undefined) out.spec = o.spec as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (!["apiVersion", "kind", "metadata", "spec", "status"].includes(k)) out[k] = v;
  }
  return out;
}

export function objectDiff(before: unknown, after: unknown): DiffLine[] {
  return diffLines(toYaml(editablePart(before)).trimEnd(), toYaml(editablePart(after)).trimEnd());
}

export function sameEditable(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(editablePart(a))) === JSON.stringify(canonical(editablePart(b)));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]));
  return v;
}
