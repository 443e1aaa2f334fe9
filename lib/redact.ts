/**
 * Redaction of values under secret-looking keys (docs/security.md). Used by the logger, the
 * audit recorder and exports, so one list decides what is a secret everywhere.
 *
 * Objects are redacted by key (redactSecrets). Text content — config files, znode data,
 * inputs — is redacted by format (redactContent): parsed as YAML, JSON, properties or XML
 * when it is of that type (given, or sniffed when not), keeping the layout and every
 * non-secret value so a diff of two redacted versions still shows what changed; anything
 * else falls back to line rules (redactSecretsInText) and inline rules (redactInlineSecrets).
 * Bytes (znode data) are decoded when they are text (redactData), and the recorder does all
 * of this for every value it stores (redactAuditValue).
 */
import { isUtf8 } from "node:buffer";
import { isCollection, isScalar, parseAllDocuments, visit, type Document } from "yaml";
import { redactXml } from "@/lib/redact-xml";

const SECRET_KEY =
  /(pass(word|wd)?|secret|token|credential|private[-_.]?key|api[-_.]?key|access[-_.]?key|client[-_.]?key|authorization|cookie|session|pwd|salt|signature|cert(ificate)?[-_.]?key)/i;

export const REDACTED = "[redacted]";
/** The replacement where the format needs a string (JSON, YAML, TOML). */
const REDACTED_STRING = JSON.stringify(REDACTED);

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret-keyed values replaced. Cycles are cut, not followed. */
export function redactSecrets<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value;
  if (seen.has(value as object)) return "[cycle]" as unknown as T;
  seen.add(value as object);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, seen)) as unknown as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== "" ? REDACTED : redactSecrets(v, seen);
  }
  return out as T;
}

const INLINE_WORD = /pass(?:word|wd)?|secret|token|api[-_.]?key|access[-_.]?key|credential/gi;
const INLINE_VALUE = /(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,&;]+)/y;
const KEY_CHAR = /[\w.-]/;

/**
 * Redacts `password=…`, `token: …` anywhere in free text (error messages, log lines): a key
 * of word characters, dots and dashes holding a secret word, then `=` or `:`. A scan in
 * linear time — the regex it replaces (`\b[\w.-]*word[\w.-]*…`) was quadratic on long runs
 * of dotted words, and every string of an audit row goes through here.
 */
export function redactInlineSecrets(text: string): string {
  let out = "";
  let copied = 0;
  INLINE_WORD.lastIndex = 0;
  for (let m = INLINE_WORD.exec(text); m; m = INLINE_WORD.exec(text)) {
    let start = m.index;
    while (start > copied && KEY_CHAR.test(text[start - 1]!)) start--;
    // The key starts at a word boundary: leading dots and dashes are not part of it.
    while (start < m.index && !/\w/.test(text[start]!)) start++;
    let end = m.index + m[0].length;
    while (end < text.length && KEY_CHAR.test(text[end]!)) end++;
    INLINE_VALUE.lastIndex = end;
    const v = INLINE_VALUE.exec(text);
    INLINE_WORD.lastIndex = v ? INLINE_VALUE.lastIndex : end;
    if (!v) continue;
    out += text.slice(copied, end) + v[1]! + REDACTED;
    copied = INLINE_VALUE.lastIndex;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------------------------------------
// Line rules: text of unknown shape (and the fallback when a format does not parse).

type Line = { body: string; eol: string };

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ body: m[1]!, eol: m[2]! });
    if (m[2] === "") break;
  }
  return out;
}

const join = (lines: Line[]): string => lines.map((l) => l.body + l.eol).join("");
const oddBackslashes = (s: string): boolean => {
  let k = s.length;
  while (k > 0 && s[k - 1] === "\\") k--;
  return (s.length - k) % 2 === 1;
};
const indentOf = (s: string): number => /^[ \t]*/.exec(s)![0].length;
/** Property-like keys (`db.password`, `DB_PASSWORD`, `api-key`, `dbPassword`): a whitespace separator counts for them. */
const propertyLike = (key: string): boolean => /[._-]|[a-z][A-Z]/.test(key);

/** `key = value`, `key: value`, quoted keys, YAML list items and `export KEY=…`. */
const ASSIGNMENT = /^(\s*(?:export\s+|[-*]\s+)?)(["']?)([^\s=:"'#;!][^\s=:"']*)\2(\s*[:=][ \t]*)(.*)$/;
/** `key value` (java.util.Properties also separates by whitespace). */
const WHITESPACE_PAIR = /^([ \t\f]*)([^\s=:"'#;!][^\s=:"']*)([ \t\f]+)(\S.*)$/;

/**
 * How many lines after `lines[i]` belong to the redacted value on it: properties
 * continuations (odd trailing backslashes), a YAML block scalar or nested block under the
 * key, a TOML multi-line string.
 */
function valueTail(lines: Line[], i: number, value: string, yamlStyle: boolean): number {
  let k = i;
  if (oddBackslashes(lines[i]!.body)) {
    while (k + 1 < lines.length && oddBackslashes(lines[k]!.body)) k++;
    return k - i;
  }
  const toml = /^("""|''')/.exec(value);
  if (toml && !value.slice(3).includes(toml[1]!)) {
    while (k + 1 < lines.length) {
      k++;
      if (lines[k]!.body.includes(toml[1]!)) break;
    }
    return k - i;
  }
  const blockHeader = /^[|>][-+0-9]*\s*(#.*)?$/.test(value);
  if (yamlStyle && (blockHeader || value === "")) {
    const indent = indentOf(lines[i]!.body);
    let last = i;
    for (let j = i + 1; j < lines.length; j++) {
      const b = lines[j]!.body;
      if (b.trim() === "") continue;
      // A nested block: deeper lines, or (YAML allows it) a sequence at the key's own indent.
      if (indentOf(b) > indent || (!blockHeader && indentOf(b) === indent && /^\s*-(\s|$)/.test(b))) last = j;
      else break;
    }
    return last - i;
  }
  return 0;
}

function redactLinesWith(text: string, replacement: string): string {
  const lines = splitLines(text);
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { body, eol } = lines[i]!;
    const a = ASSIGNMENT.exec(body);
    const w = a ? null : WHITESPACE_PAIR.exec(body);
    let head: string | null = null;
    let value = "";
    let yamlStyle = false;
    if (a && isSecretKey(a[3]!)) {
      head = a[1]! + a[2]! + a[3]! + a[2]! + a[4]!;
      value = a[5]!.trim();
      yamlStyle = a[4]!.includes(":");
    } else if (w && propertyLike(w[2]!) && isSecretKey(w[2]!)) {
      head = w[1]! + w[2]! + w[3]!;
      value = w[4]!.trim();
    }
    if (head === null) {
      out.push({ body: redactInlineSecrets(body), eol });
      continue;
    }
    const tail = valueTail(lines, i, value, yamlStyle);
    if (value === "") {
      // `key:` with a nested block under it: one redacted line in place of the block.
      if (tail > 0) {
        out.push({ body, eol });
        const indent = /^[ \t]*/.exec(lines[i + 1]!.body)![0];
        out.push({ body: (indent.length > indentOf(body) ? indent : `${indent}  `) + replacement, eol: lines[i + tail]!.eol });
        i += tail;
      } else out.push({ body, eol });
      continue;
    }
    // A one-line value keeps the line's trailing whitespace (`<!-- token=x -->`).
    let k = body.length;
    while (tail === 0 && k > 0 && (body[k - 1] === " " || body[k - 1] === "\t")) k--;
    const trail = body.slice(k);
    out.push({ body: head + replacement + trail, eol: lines[i + tail]!.eol });
    i += tail;
  }
  return join(out);
}

/**
 * Line rules for text of unknown shape: `key=value`, `key: value` and `key value` lines
 * (the last only for property-like keys such as `db.password`, so prose is left alone) whose
 * key looks secret, with the value's continuation lines (properties `\`, YAML blocks, TOML
 * `"""`), then the inline rules on every other line.
 */
export function redactSecretsInText(text: string): string {
  return redactLinesWith(text, REDACTED);
}

// ---------------------------------------------------------------------------------------------
// Formats.

type Edit = { start: number; end: number; text: string };

function applyEdits(text: string, edits: Edit[]): string {
  if (edits.length === 0) return text;
  edits.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // nested in an edit already made
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Nested content (a properties file in a YAML or JSON string) is followed this deep. */
const MAX_DEPTH = 3;

/**
 * JSON, layout kept: the values of secret keys become "[redacted]" in place (numbers,
 * objects and arrays too, as redactSecrets does), other strings are redacted as content.
 * Null when the text is not JSON.
 */
function redactJson(text: string, depth: number): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const edits: Edit[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const stringEnd = (start: number): number => {
    let j = start + 1;
    while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    return j + 1;
  };
  const value = (secret: boolean): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      while (text[i] !== "}") {
        ws();
        const end = stringEnd(i);
        const key = JSON.parse(text.slice(i, end)) as string;
        i = end;
        ws();
        i++; // ":"
        value(secret || isSecretKey(key));
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      i++;
      ws();
      while (text[i] !== "]") {
        value(secret);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      i = stringEnd(i);
      if (!secret) {
        const s = JSON.parse(text.slice(start, i)) as string;
        const r = redactContentAt(s, undefined, depth + 1);
        if (r !== s) edits.push({ start, end: i, text: JSON.stringify(r) });
      }
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
    const raw = text.slice(start, i);
    if (secret && raw !== "null" && raw !== '""') edits.push({ start, end: i, text: REDACTED_STRING });
  };
  try {
    // A secret key's value is replaced whole; edits inside it are dropped by applyEdits.
    value(false);
  } catch {
    return null; // deeper than the stack allows
  }
  return applyEdits(text, edits);
}

function parseYaml(text: string): Document.Parsed[] | null {
  try {
    // uniqueKeys off: its check is quadratic in the keys of a mapping, and redaction needs no validation.
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return null;
    return docs;
  } catch {
    return null;
  }
}

/**
 * YAML, layout and comments kept: the value of a secret key (scalar, block scalar, sequence,
 * mapping, alias) becomes "[redacted]" in place; other string scalars are redacted as content.
 */
function redactYamlDocs(text: string, docs: Document.Parsed[], depth: number): string {
  const edits: Edit[] = [];
  const replace = (node: { range?: [number, number, number] | null }, replacement: string) => {
    if (!node.range) return;
    const [start, end] = node.range;
    // Block nodes end after their last line break; keep it.
    const slice = text.slice(start, end);
    edits.push({ start, end: start + slice.trimEnd().length, text: replacement });
  };
  for (const doc of docs) {
    visit(doc, {
      Pair(_k, pair) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === null || !isSecretKey(key)) return undefined;
        const v = pair.value as ({ range?: [number, number, number] | null } & object) | null;
        if (!v || (isScalar(v) && (v.value === null || v.value === ""))) return visit.SKIP;
        replace(v, REDACTED_STRING);
        return visit.SKIP;
      },
      Scalar(key, node) {
        if (key === "key" || typeof node.value !== "string") return;
        const r = redactContentAt(node.value, undefined, depth + 1);
        if (r === node.value) return;
        replace(node, (node.type === "BLOCK_LITERAL" && node.range && asBlockLiteral(text.slice(node.range[0], node.range[1]), r)) || JSON.stringify(r));
      },
    });
  }
  return applyEdits(text, edits);
}

/**
 * A redacted literal block scalar (`key: |` and a file's lines under it, as in a ConfigMap)
 * written back as a literal block with the original header and indentation, so it still reads
 * and diffs line by line. Null when the header gives an explicit indentation.
 */
function asBlockLiteral(source: string, value: string): string | null {
  const nl = source.indexOf("\n");
  if (nl < 0) return null;
  const header = source.slice(0, nl);
  const firstLine = source.slice(nl + 1).split("\n").find((l) => l.trim() !== "");
  const indent = firstLine === undefined ? "" : /^[ ]*/.exec(firstLine)![0];
  if (/\d/.test(header) || indent === "" || /^[ \t]/.test(value)) return null;
  // Trailing line breaks stay in the source after the replaced range (clip, strip or keep alike).
  let end = value.length;
  while (end > 0 && value[end - 1] === "\n") end--;
  const lines = value.slice(0, end).split("\n").map((l) => (l === "" ? "" : indent + l));
  return `${header}\n${lines.join("\n")}`;
}

function redactYaml(text: string, depth: number): string | null {
  const docs = parseYaml(text);
  return docs ? redactYamlDocs(text, docs, depth) : null;
}

function unescapePropertiesKey(key: string): string {
  return key.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ t: "\t", n: "\n", r: "\r", f: "\f" } as Record<string, string>)[e] ?? e;
  });
}

/**
 * java.util.Properties, as `Properties.load` reads it: logical lines joined by odd trailing
 * backslashes, `#`/`!` comments (themselves redacted by the line rules: a commented-out
 * password is still a password), a key ending at the first unescaped `=`, `:` or whitespace,
 * escapes (`\u0077`) in the key. A secret key's whole value, continuation lines included,
 * becomes [redacted]; other values go through the inline rules.
 */
function redactProperties(text: string): string {
  const lines = splitLines(text);
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { body, eol } = lines[i]!;
    const start = indentOf(body.replace(/\f/g, " "));
    const first = body[start];
    if (first === undefined) {
      out.push({ body, eol });
      continue;
    }
    if (first === "#" || first === "!") {
      out.push({ body: body.slice(0, start + 1) + redactSecretsInText(body.slice(start + 1)), eol });
      continue;
    }
    let j = start;
    while (j < body.length && !/[=:\s]/.test(body[j]!)) j += body[j] === "\\" ? 2 : 1;
    const keyEnd = Math.min(j, body.length);
    while (j < body.length && /[ \t\f]/.test(body[j]!)) j++;
    if (body[j] === "=" || body[j] === ":") j++;
    while (j < body.length && /[ \t\f]/.test(body[j]!)) j++;
    let last = i;
    while (last + 1 < lines.length && oddBackslashes(lines[last]!.body)) last++;
    const key = unescapePropertiesKey(body.slice(start, keyEnd));
    const hasValue = body.slice(j) !== "" || last > i;
    if (key !== "" && isSecretKey(key) && hasValue) {
      out.push({ body: body.slice(0, j) + REDACTED, eol: lines[last]!.eol });
    } else {
      out.push({ body: body.slice(0, j) + redactInlineSecrets(body.slice(j)), eol });
      for (let k = i + 1; k <= last; k++) out.push({ body: redactInlineSecrets(lines[k]!.body), eol: lines[k]!.eol });
    }
    i = last;
  }
  return join(out);
}

function redactMarkup(text: string, html: boolean, depth: number): string {
  return redactXml(text, {
    isSecretName: isSecretKey,
    redactText: (t) => (depth >= MAX_DEPTH ? redactSecretsInText(t) : redactContentAt(t, undefined, depth + 1)),
    redacted: REDACTED,
    html,
  });
}

/** Nothing can be redacted without a secret-looking name (or an escape that may spell one). */
const mayHoldSecret = (text: string): boolean => SECRET_KEY.test(text) || /\\[uUx]|&#/.test(text);

const looksLikeXml = (t: string): boolean => /^<(?:\?xml|!--|!doctype|[A-Za-z_])/i.test(t);
const looksLikeHtml = (t: string): boolean => /^<(?:!doctype\s+html|html[\s>])/i.test(t);

/** The content types Nacos gives a config, plus the spellings files use. */
export type ContentType = "yaml" | "yml" | "json" | "properties" | "xml" | "html" | "htm" | "toml" | "text";

function redactContentAt(text: string, type: string | null | undefined, depth: number): string {
  if (!mayHoldSecret(text)) return text;
  if (depth > MAX_DEPTH) return redactSecretsInText(text);
  switch ((type ?? "").toLowerCase()) {
    case "json":
      return redactJson(text, depth) ?? redactSecretsInText(text);
    case "yaml":
    case "yml":
      return redactYaml(text, depth) ?? redactSecretsInText(text);
    case "properties":
      return redactProperties(text);
    case "xml":
      return redactMarkup(text, false, depth);
    case "html":
    case "htm":
      return redactMarkup(text, true, depth);
    case "toml":
      return redactLinesWith(text, REDACTED_STRING);
    default:
      return sniff(text, depth);
  }
}

function sniff(text: string, depth: number): string {
  const t = text.replace(/^\uFEFF/, "").trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    const json = redactJson(text, depth);
    if (json !== null) return json;
  }
  if (looksLikeXml(t)) return redactMarkup(text, looksLikeHtml(t), depth);
  // Almost any text parses as YAML (a plain scalar); only a mapping or sequence makes it YAML.
  // One line of text (a message, a value) is left to the line rules, which cover `key: value`.
  if (/[\r\n]/.test(t.trimEnd())) {
    const docs = parseYaml(text);
    if (docs && docs.some((d) => isCollection(d.contents))) return redactYamlDocs(text, docs, depth);
  }
  return redactSecretsInText(text);
}

/**
 * Redacts secrets in text content by its format (docs/security.md). With a known `type`
 * (Nacos' yaml, json, properties, xml, html, toml; text means unknown) that format is parsed
 * and the values of secret-looking keys are replaced in place, keeping the layout, comments
 * and every non-secret value; content that does not parse as its type falls back to line
 * rules. Without a type the format is sniffed: JSON, XML-looking, a YAML mapping or sequence,
 * else line rules (properties-style lines, YAML/TOML blocks) and inline rules. Returns the
 * text unchanged (the same string) when nothing was redacted.
 */
export function redactContent(text: string, type?: ContentType | string | null): string {
  return redactContentAt(text, type, 0);
}

// ---------------------------------------------------------------------------------------------
// Bytes.

/** What the audit keeps of stored bytes (znode data). */
export interface RedactedData {
  /** Text, when the bytes are text (always when the text was redacted). */
  data?: string;
  /** The bytes as base64, when they are not text (with secret-looking runs redacted if `redacted`). */
  dataBase64?: string;
  /** How text that did not arrive as UTF-8 was decoded; set whenever something was redacted. */
  encoding?: "utf8" | "latin1";
  /** Something was redacted: this is not the stored value. */
  redacted?: true;
  /** Only the first `maxBytes` are kept. */
  truncated?: true;
}

/** The longest prefix of at most `max` bytes that does not split a UTF-8 sequence. */
function utf8Prefix(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  for (let k = 0; k < 3 && end > 0 && (bytes[end]! & 0xc0) === 0x80; k++) end--;
  return bytes.subarray(0, end);
}

function cutText(text: string, encoding: "utf8" | "latin1", max: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(text, encoding);
  if (bytes.length <= max) return { text, cut: false };
  const kept = encoding === "utf8" ? utf8Prefix(bytes, max) : bytes.subarray(0, max);
  return { text: Buffer.from(kept).toString(encoding), cut: true };
}

/** Latin-1 text (a Java .properties file, say): no control bytes but tab, line breaks and form feed. */
const latin1Text = (bytes: Uint8Array): boolean => !bytes.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f);

/** Printable runs inside binary data (latin1 view), as `strings` would find them. */
const PRINTABLE_RUN = /[^\x00-\x08\x0e-\x1f\x7f-\x9f]+/g;

/**
 * Redacts stored bytes for the audit trail (docs/security.md) and keeps at most `maxBytes`.
 * UTF-8 text is redacted as content (redactContent, `type` if known). Other bytes that are
 * text — UTF-8 in the kept window, or Latin-1 — are decoded and redacted the same way; when
 * something was redacted the redacted text is kept (marked with its encoding and
 * `redacted: true`) instead of the base64, which would carry the secret. Binary data stays
 * base64, with the printable runs inside it (a Java-serialized string, say) redacted. The
 * raw secret is never in the result. Redaction happens before the cut, on a window of at
 * least 64 KiB, so a cut never separates a secret key from its value's structure.
 */
export function redactData(bytes: Uint8Array, options: { maxBytes?: number; type?: string | null } = {}): RedactedData {
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const windowSize = Math.max(max, 65_536);
  const windowCut = bytes.length > windowSize;
  const window = windowCut ? bytes.subarray(0, windowSize) : bytes;
  const truncated = (cut: boolean) => (cut ? { truncated: true as const } : {});
  const asBase64 = (): RedactedData => ({ dataBase64: Buffer.from(bytes.subarray(0, max)).toString("base64"), ...truncated(bytes.length > max) });
  const asText = (text: string, encoding: "utf8" | "latin1", redacted: boolean): RedactedData => {
    const kept = cutText(text, encoding, max);
    return { data: kept.text, ...(redacted ? { encoding, redacted: true as const } : {}), ...truncated(kept.cut || windowCut) };
  };

  if (isUtf8(bytes)) {
    const text = Buffer.from(windowCut ? trimIncomplete(window) : window).toString("utf8");
    const red = redactContent(text, options.type);
    return asText(red, "utf8", red !== text);
  }
  // Not UTF-8 as a whole: UTF-8 up to where it was cut (or up to a bad tail), or Latin-1 text.
  const trimmed = trimIncomplete(window);
  const encoding = isUtf8(trimmed) ? "utf8" : latin1Text(window) ? "latin1" : null;
  if (encoding) {
    const text = Buffer.from(encoding === "utf8" ? trimmed : window).toString(encoding);
    const red = redactContent(text, options.type);
    return red !== text ? asText(red, encoding, true) : asBase64();
  }
  const view = Buffer.from(window).toString("latin1");
  const red = view.replace(PRINTABLE_RUN, (run) => redactContent(run));
  if (red === view) return asBase64();
  const redBytes = Buffer.from(red, "latin1");
  return { dataBase64: redBytes.subarray(0, max).toString("base64"), redacted: true, ...truncated(redBytes.length > max || windowCut) };
}

/** Drops an incomplete UTF-8 sequence at the very end (where a cut fell). */
function trimIncomplete(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let k = 0; k < 3 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; k++) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) {
    const lead = bytes[end - 1]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (bytes.length - (end - 1) < need) return bytes.subarray(0, end - 1);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Audit values.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function walkForAudit(value: unknown): unknown {
  if (typeof value === "string") return redactContent(value);
  if (Array.isArray(value)) return value.map(walkForAudit);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  // A config-like object names its content's format: { content, type: "yaml" }.
  const type = typeof obj.type === "string" ? obj.type : typeof obj.format === "string" ? obj.format : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === "string" && /base64$/i.test(k) && BASE64.test(v)) {
      const r = redactData(Buffer.from(v, "base64"), { type });
      if (!r.redacted) out[k] = v;
      else if (r.data !== undefined) {
        // The redacted text replaces the base64, marked: { data, encoding, redacted: true }.
        const textKey = k.slice(0, -"base64".length) || "data";
        if (!(textKey in obj) && !("encoding" in obj) && !("redacted" in obj)) Object.assign(out, { [textKey]: r.data, encoding: r.encoding, redacted: true });
        else {
          out[k] = Buffer.from(r.data, r.encoding).toString("base64");
          if (!("redacted" in obj)) out.redacted = true;
        }
      } else {
        out[k] = r.dataBase64;
        if (!("redacted" in obj)) out.redacted = true;
      }
    } else if (typeof v === "string" && type !== undefined && (k === "content" || k === "data")) {
      out[k] = redactContent(v, type);
    } else out[k] = walkForAudit(v);
  }
  return out;
}

/**
 * What the audit recorder stores of a value (before, after, detail; docs/security.md): the
 * JSON form of `value` with secret-keyed values replaced (redactSecrets), every string
 * redacted as content (redactContent; `content`/`data` beside a `type` or `format` as that
 * type), and base64 fields (`dataBase64`, `…Base64`) decoded: when the bytes held a secret,
 * the redacted text is stored instead, marked `{ data, encoding, redacted: true }` (or, when
 * those keys are taken or the bytes are binary, the base64 of the redacted bytes).
 */
export function redactAuditValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  return walkForAudit(JSON.parse(JSON.stringify(redactSecrets(value))) as unknown);
}
