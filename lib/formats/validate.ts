/**
 * Validation of config content by its type, with 1-based line and column, the same in the
 * browser (the editor's gutter, before Publish is enabled) and on the server (every publish is
 * refused with 400 naming the line and column). Pure: no server code, no DOM.
 */
import { XMLValidator } from "fast-xml-parser";
import { TomlError, parse as parseToml } from "smol-toml";
import { parseAllDocuments } from "yaml";

export type ContentType = "yaml" | "json" | "properties" | "xml" | "html" | "toml" | "text";

export interface ContentProblem {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.max(0, offset - start) + 1 };
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * A strict JSON (RFC 8259) scanner that names the first error's offset; JSON.parse's messages
 * differ by engine and often carry no position.
 */
function checkJson(text: string): void {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `unexpected end of input, expected ${what}` : `unexpected ${JSON.stringify(text[i])}, expected ${what}`, i);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("a value");
  };
  const string = () => {
    i++; // opening quote
    while (true) {
      if (i >= text.length) fail('a closing "');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail("no control character inside a string");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail("four hex digits after \\u");
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail("a valid escape");
        }
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") fail("a value");
    i += m![0].length;
  };
  let depth = 0;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      if (++depth > 512) fail("less nesting");
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        depth--;
        return;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          depth--;
          return;
        }
        fail('"," or "}"');
      }
    }
    if (c === "[") {
      if (++depth > 512) fail("less nesting");
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        depth--;
        return;
      }
      while (true) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          depth--;
          return;
        }
        fail('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail("a value");
  };
  value();
  ws();
  if (i < text.length) fail("the end of input");
}

function validateJson(text: string): ContentProblem[] {
  try {
    checkJson(text);
    return [];
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return [{ ...lineColumn(text, e.offset), message: e.message, severity: "error" }];
  }
}

function validateYaml(text: string): ContentProblem[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ContentProblem[] = [];
  for (const d of list) {
    for (const [issues, severity] of [
      [d.errors, "error"],
      [d.warnings, "warning"],
    ] as const) {
      for (const err of issues) {
        const pos = err.linePos?.[0] ?? lineColumn(text, err.pos[0]);
        out.push({ line: pos.line, column: "col" in pos ? pos.col : pos.column, message: err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?\s*$/, ""), severity });
      }
    }
  }
  return out;
}

function validateXml(text: string): ContentProblem[] {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (r === true) return [];
  return [{ line: r.err.line, column: r.err.col, message: r.err.msg, severity: "error" }];
}

function validateToml(text: string): ContentProblem[] {
  try {
    parseToml(text);
    return [];
  } catch (e) {
    if (e instanceof TomlError) return [{ line: e.line, column: e.column, message: e.message.split("\n")[0]!, severity: "error" }];
    throw e;
  }
}

/**
 * java.util.Properties accepts almost anything; what it refuses (Properties.load throws
 * "Malformed \uxxxx encoding") is an error here, and a line that is only a separator and a value
 * (an empty key) — never what anyone meant — too. A key given twice is a warning (the last wins).
 */
function validateProperties(text: string): ContentProblem[] {
  const out: ContentProblem[] = [];
  const lines = text.split("\n");
  const seen = new Map<string, number>();
  let continued = false;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, "");
    const wasContinued: boolean = continued;
    let slashes = 0;
    for (let k = raw.length - 1; k >= 0 && raw[k] === "\\"; k--) slashes++;
    const body = raw.replace(/^[ \t\f]+/, "");
    const isComment: boolean = !wasContinued && (body.startsWith("#") || body.startsWith("!"));
    continued = !isComment && slashes % 2 === 1;
    if (isComment || body === "") continue;
    for (const m of raw.matchAll(/\\u/g)) {
      // An escaped backslash before it ("\\u") is not an escape.
      let before = 0;
      for (let k = m.index - 1; k >= 0 && raw[k] === "\\"; k--) before++;
      if (before % 2 === 1) continue;
      if (!/^[0-9a-fA-F]{4}$/.test(raw.slice(m.index + 2, m.index + 6))) {
        out.push({ line: n + 1, column: m.index + 1, message: "malformed \\uxxxx escape: four hex digits must follow \\u", severity: "error" });
      }
    }
    if (wasContinued) continue;
    const indent = raw.length - body.length;
    if (body[0] === "=" || body[0] === ":") {
      out.push({ line: n + 1, column: indent + 1, message: "a value without a key", severity: "error" });
      continue;
    }
    const key = /^(?:\\.|[^\\=:\s])+/.exec(body)?.[0];
    if (key) {
      const first = seen.get(key);
      if (first !== undefined) out.push({ line: n + 1, column: indent + 1, message: `key "${key}" is also set on line ${first}; the last one wins`, severity: "warning" });
      else seen.set(key, n + 1);
    }
  }
  return out;
}

/** Problems of `content` read as `type`; empty when it parses (html and text are not checked). */
export function validateContent(type: ContentType | string | null | undefined, content: string): ContentProblem[] {
  switch (type) {
    case "json":
      return validateJson(content);
    case "yaml":
      return validateYaml(content);
    case "xml":
      return validateXml(content);
    case "toml":
      return validateToml(content);
    case "properties":
      return validateProperties(content);
    default:
      return [];
  }
}

/** Only the errors (warnings do not block a publish). */
export function contentErrors(type: ContentType | string | null | undefined, content: string): ContentProblem[] {
  return validateContent(type, content).filter((p) => p.severity === "error");
}
