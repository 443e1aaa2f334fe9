/**
 * Writes the zod response schemas of the API reference (lib/api-docs/responses/<area>.ts) from
 * the view types the routes return (lib/api-docs/responses/views.ts), read with the TypeScript
 * checker. Each generated file also lists a compile-time `Check<Agrees<view, schema>>` per route,
 * so a view that changes later fails `tsc` until this is run again:
 *   node scripts/gen-response-schemas.mts
 * Dates become ISO strings, undefined an absent field, unions of literals enums; a type met
 * again inside itself is `z.unknown()`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIR = path.join(ROOT, "lib", "api-docs", "responses");
const VIEWS = path.join(DIR, "views.ts");

const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) });
if (!config) throw new Error("cannot read tsconfig.json");
const program = ts.createProgram({ rootNames: [VIEWS], options: { ...config.options, incremental: false, plugins: [] } });
const checker = program.getTypeChecker();
const source = program.getSourceFile(VIEWS)!;

let iface: ts.InterfaceDeclaration | undefined;
ts.forEachChild(source, (n) => {
  if (ts.isInterfaceDeclaration(n) && n.name.text === "ResponseViews") iface = n;
});
if (!iface) throw new Error("ResponseViews not found in views.ts");

export function areaOf(key: string): string {
  const p = key.split(" ")[1]!.split("/").slice(3);
  if (p[0] === "access") return "access";
  if (p[0] === "me") return "profile";
  if (p[0] === "audit" || p[0] === "auth" || p[0] === "overview") return p[0];
  if (p[0] === "sites") return "registry";
  if (p[0] === "environments" && p.length > 2) {
    const sub = p[2]!;
    if (sub === "services" || sub === "znodes") return "registry";
    if (sub === "signals") return "overview";
    if (sub === "configs" || sub === "gateway" || sub === "mesh") return sub;
  }
  return "environments";
}

/** Per output file: hoisted named schemas, in definition order. */
class Emitter {
  defs: string[] = [];
  names = new Map<ts.Type, string>();
  used = new Set<string>();
  stack: ts.Type[] = [];

  schema(t: ts.Type): string {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return "z.unknown()";
    if (f & ts.TypeFlags.String || f & ts.TypeFlags.TemplateLiteral || f & ts.TypeFlags.StringMapping) return "z.string()";
    if (f & ts.TypeFlags.Number) return "z.number()";
    if (f & ts.TypeFlags.Boolean) return "z.boolean()";
    if (f & ts.TypeFlags.Null) return "z.null()";
    if (f & ts.TypeFlags.StringLiteral) return `z.literal(${JSON.stringify((t as ts.StringLiteralType).value)})`;
    if (f & ts.TypeFlags.NumberLiteral) return `z.literal(${(t as ts.NumberLiteralType).value})`;
    if (f & ts.TypeFlags.BooleanLiteral) return `z.literal(${(t as unknown as { intrinsicName: string }).intrinsicName})`;
    if (t.isUnion()) return this.union(t.types);
    if (f & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(t);
    return "z.unknown()";
  }

  union(types: readonly ts.Type[]): string {
    let members = types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const optional = members.length !== types.length;
    const hasNull = members.some((m) => m.flags & ts.TypeFlags.Null);
    members = members.filter((m) => !(m.flags & ts.TypeFlags.Null));
    const bools = members.filter((m) => m.flags & ts.TypeFlags.BooleanLiteral);
    let parts: string[];
    if (bools.length === 2) parts = ["z.boolean()", ...members.filter((m) => !(m.flags & ts.TypeFlags.BooleanLiteral)).map((m) => this.schema(m))];
    else if (members.length > 1 && members.every((m) => m.flags & ts.TypeFlags.StringLiteral)) parts = [`z.enum([${members.map((m) => JSON.stringify((m as ts.StringLiteralType).value)).join(", ")}])`];
    else parts = members.map((m) => this.schema(m));
    parts = [...new Set(parts)];
    let out = parts.length === 0 ? "z.never()" : parts.length === 1 ? parts[0]! : `z.union([${parts.join(", ")}])`;
    if (hasNull) out = parts.length === 0 ? "z.null()" : `${out}.nullable()`;
    if (optional) out = `${out}.optional()`;
    return out;
  }

  object(t: ts.Type): string {
    const sym = t.aliasSymbol ?? t.getSymbol();
    if (sym?.getName() === "Date") return "z.string()";
    if (checker.isArrayType(t)) return `z.array(${this.schema(checker.getTypeArguments(t as ts.TypeReference)[0]!)})`;
    if (checker.isTupleType(t)) return `z.tuple([${checker.getTypeArguments(t as ts.TypeReference).map((a) => this.schema(a)).join(", ")}])`;
    if (this.names.has(t)) return this.names.get(t)!;
    if (this.stack.includes(t)) return "z.unknown()";
    this.stack.push(t);
    try {
      const props = checker.getPropertiesOfType(t).filter((p) => {
        const pt = checker.getTypeOfSymbol(p);
        return pt.getCallSignatures().length === 0;
      });
      const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
      let out: string;
      if (props.length === 0) out = `z.record(z.string(), ${index ? this.schema(index.type) : "z.unknown()"})`;
      else {
        const fields = props.map((p) => {
          const pt = checker.getTypeOfSymbol(p);
          let s = this.schema(pt);
          if (p.flags & ts.SymbolFlags.Optional && !s.endsWith(".optional()")) s += ".optional()";
          const key = /^[A-Za-z_$][\w$]*$/.test(p.getName()) ? p.getName() : JSON.stringify(p.getName());
          return `${key}: ${s}`;
        });
        out = `z.object({ ${fields.join(", ")} })${index ? `.catchall(${this.schema(index.type)})` : ""}`;
      }
      const name = sym && !sym.getName().startsWith("__") ? sym.getName() : undefined;
      if (name && props.length > 0) return this.hoist(t, name, out);
      return out;
    } finally {
      this.stack.pop();
    }
  }

  hoist(t: ts.Type, name: string, body: string): string {
    let id = name.replace(/[^\w$]/g, "_");
    for (let i = 2; this.used.has(id); i++) id = `${name}${i}`;
    this.used.add(id);
    this.names.set(t, id);
    this.defs.push(`const ${id} = ${body};`);
    return id;
  }
}

const byArea = new Map<string, Array<{ key: string; schema: string }>>();
const emitters = new Map<string, Emitter>();
for (const member of iface.members) {
  if (!ts.isPropertySignature(member) || !member.type) continue;
  const key = (member.name as ts.StringLiteral).text;
  const area = areaOf(key);
  const em = emitters.get(area) ?? new Emitter();
  emitters.set(area, em);
  const schema = em.schema(checker.getTypeFromTypeNode(member.type));
  (byArea.get(area) ?? byArea.set(area, []).get(area)!).push({ key, schema });
}

const constName = (area: string) => `${area.toUpperCase()}_RESPONSES`;
const typeName = (area: string) => `${area[0]!.toUpperCase()}${area.slice(1)}ResponseChecks`;
for (const [area, entries] of byArea) {
  const em = emitters.get(area)!;
  const text = [
    `// Generated by scripts/gen-response-schemas.mts from lib/api-docs/responses/views.ts: do not edit, run it again.`,
    `import { z } from "zod";`,
    `import type { Agrees, Check } from "@/lib/api-docs/responses/json";`,
    `import type { ResponseViews as V } from "@/lib/api-docs/responses/views";`,
    ``,
    ...em.defs,
    ``,
    `/** Success response bodies of the ${area} routes, by "METHOD /path". */`,
    `export const ${constName(area)} = {`,
    ...entries.map((e) => `  ${JSON.stringify(e.key)}: ${e.schema},`),
    `};`,
    ``,
    `type S = typeof ${constName(area)};`,
    `/** Fails to compile when a route's view and its schema disagree (lib/api-docs/responses/json.ts). */`,
    `export type ${typeName(area)} = [`,
    ...entries.map((e) => `  Check<Agrees<V[${JSON.stringify(e.key)}], S[${JSON.stringify(e.key)}]>>,`),
    `];`,
    ``,
  ].join("\n");
  fs.writeFileSync(path.join(DIR, `${area}.ts`), text);
  console.log(`${area}.ts: ${entries.length} routes, ${em.defs.length} named schemas`);
}
