/**
 * Tag-level XML (and HTML) redaction for audit rows and exports (docs/security.md): no DOM, no
 * entity expansion, no DTD processing — a scanner over tags, attributes, text, CDATA and
 * comments that copies the document through and replaces only secret values, so the layout
 * (and a diff of two redacted versions) stays as it was. It is lenient on purpose: truncated
 * or malformed input is redacted as far as it goes, never rejected.
 *
 * What counts as secret:
 * - the text of an element whose name is secret (`<password>x</password>`, `<db:api-key>`),
 *   and everything inside it (child text, CDATA, comments, attribute values);
 * - an element named by a secret name/key attribute (`<property name="password" value="x"/>`,
 *   `<entry key="db.password">x</entry>`): its text and its other attribute values;
 * - an attribute whose own name is secret (`<datasource password="x"/>`);
 * - the value element after a name element with a secret text (Hadoop-style
 *   `<name>fs.s3a.secret.key</name><value>x</value>`, plist `<key>password</key><string>x</string>`).
 * Other text and attribute values go through `redactText` (line and inline rules).
 * Redacting mid-document is only this module's job; lib/redact.ts decides when content is XML.
 */

export interface XmlRedactOptions {
  isSecretName(name: string): boolean;
  /** Redaction for non-secret text (element text, attribute values, comments). */
  redactText(text: string): string;
  /** The replacement for a secret value. */
  redacted: string;
  /** HTML: void elements never get a closing tag, script/style hold raw text, names ignore case. */
  html?: boolean;
}

/** Attributes that name an entry rather than hold its value. */
const NAMING_ATTRIBUTES = new Set(["name", "key", "property", "param"]);
const HTML_VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "command"]);
const HTML_RAW_TEXT = new Set(["script", "style"]);
/** How many unclosed elements an end tag may close at once (bounds the work on hostile input). */
const MAX_UNCLOSED = 256;

interface Frame {
  name: string;
  secret: boolean;
  /** A name element (`<name>`, `<key>`, `<param-name>`): its text names the next value element. */
  nameLike: boolean;
  text: string;
  /** A child name element had a secret text: the next value element is secret. */
  pendingValue: false | "value" | "any";
}

interface Attribute {
  name: string;
  /** Offsets of the value between its quotes (or of an unquoted value), or null for a bare attribute. */
  valueStart: number;
  valueEnd: number;
  hasValue: boolean;
}

const NAME_START = /[A-Za-z_:]/;
// Sticky: matched at an offset without slicing the rest of the document.
const TAG_NAME = /[^\s/>]+/y;
const ATTR_NAME = /[^\s=/>"']+/y;
const UNQUOTED = /[^\s>]*/y;

function stickyMatch(re: RegExp, src: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(src)?.[0] ?? null;
}

export function localName(name: string): string {
  const i = name.lastIndexOf(":");
  return i >= 0 ? name.slice(i + 1) : name;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the predefined entities and character references (for deciding names, never for output). */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[ref] ?? m;
  });
}

export function redactXml(src: string, o: XmlRedactOptions): string {
  const n = src.length;
  const stack: Frame[] = [];
  const parts: string[] = [];
  let i = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];
  const inSecret = (): boolean => top()?.secret ?? false;
  const norm = (name: string): string => (o.html ? name.toLowerCase() : name);

  /** Replaces the non-blank core of a secret value, keeping its surrounding whitespace. */
  const hide = (text: string): string => {
    const core = text.trim();
    if (core === "") return text;
    const start = text.indexOf(core);
    return text.slice(0, start) + o.redacted + text.slice(start + core.length);
  };

  const text = (raw: string): string => {
    const f = top();
    if (f?.nameLike) f.text += decodeXmlEntities(raw);
    return inSecret() ? hide(raw) : o.redactText(raw);
  };

  const closeFrame = (f: Frame): void => {
    if (!f.nameLike) return;
    const parent = top();
    if (parent && o.isSecretName(f.text.trim())) parent.pendingValue = localName(f.name).toLowerCase() === "key" ? "any" : "value";
  };

  while (i < n) {
    const lt = src.indexOf("<", i);
    if (lt < 0) {
      parts.push(text(src.slice(i)));
      break;
    }
    const next = src[lt + 1] ?? "";
    const isMarkup = NAME_START.test(next) || next === "/" || next === "!" || next === "?";
    if (!isMarkup) {
      // A lone "<" is text; keep scanning from after it.
      const end = src.indexOf("<", lt + 1);
      const stop = end < 0 ? n : end;
      parts.push(text(src.slice(i, stop)));
      i = stop;
      continue;
    }
    if (lt > i) parts.push(text(src.slice(i, lt)));
    i = lt;

    if (src.startsWith("<!--", i)) {
      const end = src.indexOf("-->", i + 4);
      const body = src.slice(i + 4, end < 0 ? n : end);
      parts.push("<!--", inSecret() ? hide(body) : o.redactText(body), end < 0 ? "" : "-->");
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (src.startsWith("<![CDATA[", i)) {
      const end = src.indexOf("]]>", i + 9);
      const body = src.slice(i + 9, end < 0 ? n : end);
      const f = top();
      if (f?.nameLike) f.text += body;
      parts.push("<![CDATA[", inSecret() ? hide(body) : o.redactText(body), end < 0 ? "" : "]]>");
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (next === "?") {
      const end = src.indexOf("?>", i + 2);
      const stop = end < 0 ? n : end + 2;
      parts.push(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (next === "!") {
      // DOCTYPE and other declarations, with an internal subset in [...]: copied as they are.
      let j = i + 2;
      let depth = 0;
      let quote = "";
      for (; j < n; j++) {
        const c = src[j]!;
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === '"' || c === "'") quote = c;
        else if (c === "[") depth++;
        else if (c === "]") depth--;
        else if (c === ">" && depth <= 0) break;
      }
      const stop = Math.min(n, j + 1);
      parts.push(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (next === "/") {
      const end = src.indexOf(">", i + 2);
      const stop = end < 0 ? n : end + 1;
      const name = norm(src.slice(i + 2, end < 0 ? n : end).trim());
      parts.push(src.slice(i, stop));
      i = stop;
      // Pop to the matching element; a stray end tag (no match near the top) changes nothing.
      let at = stack.length - 1;
      const floor = Math.max(0, stack.length - MAX_UNCLOSED);
      while (at >= floor && stack[at]!.name !== name) at--;
      if (at >= floor) {
        while (stack.length > at) closeFrame(stack.pop()!);
      }
      continue;
    }

    // A start tag: name, attributes, then ">" or "/>" (or the end of a truncated document).
    const rawName = stickyMatch(TAG_NAME, src, i + 1)!;
    const name = norm(rawName);
    let j = i + 1 + rawName.length;
    const attrs: Attribute[] = [];
    let selfClosing = false;
    let closed = false;
    while (j < n) {
      while (j < n && /\s/.test(src[j]!)) j++;
      if (src[j] === ">") {
        j++;
        closed = true;
        break;
      }
      if (src.startsWith("/>", j)) {
        j += 2;
        selfClosing = closed = true;
        break;
      }
      const an = stickyMatch(ATTR_NAME, src, j);
      if (!an) {
        j++; // a stray quote or slash
        continue;
      }
      const attr: Attribute = { name: an, valueStart: 0, valueEnd: 0, hasValue: false };
      j += an.length;
      let k = j;
      while (k < n && /\s/.test(src[k]!)) k++;
      if (src[k] === "=") {
        k++;
        while (k < n && /\s/.test(src[k]!)) k++;
        const q = src[k];
        if (q === '"' || q === "'") {
          const close = src.indexOf(q, k + 1);
          attr.valueStart = k + 1;
          attr.valueEnd = close < 0 ? n : close;
          j = close < 0 ? n : close + 1;
        } else {
          const v = stickyMatch(UNQUOTED, src, k)!;
          attr.valueStart = k;
          attr.valueEnd = k + v.length;
          j = k + v.length;
        }
        attr.hasValue = true;
      }
      attrs.push(attr);
    }

    const parent = top();
    const lname = localName(name).toLowerCase();
    const valueOf = (a: Attribute) => decodeXmlEntities(src.slice(a.valueStart, a.valueEnd));
    const namedSecret = attrs.some((a) => a.hasValue && NAMING_ATTRIBUTES.has(localName(a.name).toLowerCase()) && o.isSecretName(valueOf(a).trim()));
    const nameLike = /^(name|key)$|[-_.](name|key)$/i.test(lname);
    let pendingHit = false;
    if (parent?.pendingValue && !nameLike && (parent.pendingValue === "any" || /value/i.test(lname))) {
      pendingHit = true;
      parent.pendingValue = false;
    }
    const secret = (parent?.secret ?? false) || o.isSecretName(localName(name)) || namedSecret || pendingHit;

    // Rebuild the tag with secret attribute values replaced, everything else byte for byte.
    let cursor = i;
    for (const a of attrs) {
      if (!a.hasValue || a.valueEnd <= a.valueStart) continue;
      const an = a.name.toLowerCase();
      const structural = an === "xmlns" || an.startsWith("xmlns:") || an.startsWith("xml:") || NAMING_ATTRIBUTES.has(localName(an));
      const raw = src.slice(a.valueStart, a.valueEnd);
      const replacement = (secret && !structural) || o.isSecretName(localName(a.name)) ? o.redacted : o.redactText(raw);
      if (replacement === raw) continue;
      parts.push(src.slice(cursor, a.valueStart), replacement);
      cursor = a.valueEnd;
    }
    parts.push(src.slice(cursor, j));
    i = j;

    if (selfClosing || !closed || (o.html && HTML_VOID.has(name))) continue;
    if (o.html && HTML_RAW_TEXT.has(name)) {
      const re = new RegExp(`</${name}\\s*>`, "gi");
      re.lastIndex = i;
      const m = re.exec(src);
      const stop = m ? m.index : n;
      const body = src.slice(i, stop);
      parts.push(secret ? hide(body) : o.redactText(body));
      i = stop;
      if (m) {
        parts.push(m[0]);
        i += m[0].length;
      }
      continue;
    }
    stack.push({ name, secret, nameLike, text: "", pendingValue: false });
  }
  return parts.join("");
}
