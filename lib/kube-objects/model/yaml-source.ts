/**
 * YAML text ⇄ Kubernetes objects, keeping where each value sits so that a problem found at a
 * path (`spec.http[0].route[1].weight`) is reported at its line and column. Pure.
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, stringify, type Document, type Node } from "yaml";
import type { PathSegment } from "@/lib/kube-objects/model/openapi-validate";

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface ParsedDocument {
  /** Index of the document in the stream (0-based). */
  index: number;
  object: unknown;
  /** Where the value at `path` (or its nearest present ancestor) starts. */
  locate(path: readonly PathSegment[]): SourcePosition;
}

export interface YamlSyntaxError extends SourcePosition {
  message: string;
}

export type ParsedYaml = { ok: true; documents: ParsedDocument[] } | { ok: false; errors: YamlSyntaxError[] };

const MAX_YAML_BYTES = 1024 * 1024;

export function parseObjectsYaml(text: string): ParsedYaml {
  if (text.length > MAX_YAML_BYTES) return { ok: false, errors: [{ line: 1, column: 1, message: `YAML is larger than ${MAX_YAML_BYTES} bytes` }] };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors: YamlSyntaxError[] = [];
  for (const d of list) {
    for (const e of d.errors) {
      const p = lines.linePos(e.pos[0]);
      errors.push({ line: p.line, column: p.col, message: e.message.split("\n")[0] ?? e.message });
    }
  }
  if (errors.length) return { ok: false, errors };
  const documents: ParsedDocument[] = [];
  list.forEach((doc, index) => {
    if (doc.contents === null) return; // an empty document between separators
    documents.push({ index, object: doc.toJS({ maxAliasCount: 100 }), locate: (path) => locate(doc, lines, path) });
  });
  return { ok: true, documents };
}

function locate(doc: Document, lines: LineCounter, path: readonly PathSegment[]): SourcePosition {
  let node: unknown = doc.contents;
  let best: number = nodeStart(node) ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyStart = nodeStart(pair.key);
      if (keyStart !== undefined) best = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      const s = nodeStart(item);
      if (s !== undefined) best = s;
    } else break;
  }
  const p = lines.linePos(best);
  return { line: p.line, column: p.col };
}

function nodeStart(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}

/**
 * Objects as YAML, the way the editor and the diffs show them. Keys are sorted: the API server
 * answers a write and a read with the same object in different key orders, and a diff must show
 * changes, not order (apiVersion, kind, metadata, spec happen to sort in their usual order).
 */
export function toYaml(object: unknown): string {
  if (object === null || object === undefined) return "";
  return stringify(object, { indent: 2, lineWidth: 0, sortMapEntries: true });
}
