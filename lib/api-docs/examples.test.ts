/**
 * The README's scripting example comes from the API reference: it is `curlExample()` verbatim,
 * and each call in it is a documented route and method whose request body validates against
 * the document's schema, authenticated the way the document says (a bearer API token).
 */
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { curlExample, SCRIPT_EXAMPLES } from "@/lib/api-docs/examples";
import { buildOpenApi } from "@/lib/api-docs/openapi";

type Op = { requestBody?: { required?: boolean; content: Record<string, { schema: object }> }; security?: unknown[]; responses: Record<string, unknown> };
const doc = buildOpenApi() as { paths: Record<string, Record<string, Op>>; security: Array<Record<string, unknown>>; components: { securitySchemes: Record<string, { scheme?: string }> } };

describe("README scripting example", () => {
  it("is the generated curl example, verbatim", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Scripting the API"));
    const block = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(block, "a ```sh block under \"### Scripting the API\" in README.md").toBeDefined();
    expect(block, "README.md's scripting example: paste curlExample() from lib/api-docs/examples.ts").toBe(curlExample());
  });

  it("calls documented routes with bodies the document accepts, by bearer token", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    expect(doc.security.some((s) => "bearerAuth" in s)).toBe(true);
    expect(doc.components.securitySchemes.bearerAuth?.scheme).toBe("bearer");
    for (const e of SCRIPT_EXAMPLES) {
      const op = doc.paths[e.path]?.[e.method.toLowerCase()];
      expect(op, `${e.method} ${e.path} is in the document`).toBeDefined();
      expect(op!.security, `${e.method} ${e.path} takes a token`).toBeUndefined();
      const schema = op!.requestBody?.content["application/json"]?.schema;
      if (e.body === undefined) {
        expect(op!.requestBody?.required ?? false, `${e.method} ${e.path} needs no body`).toBe(false);
        continue;
      }
      expect(schema, `${e.method} ${e.path} documents a JSON body`).toBeDefined();
      const validate = ajv.compile(schema!);
      expect(validate(e.body), `${e.method} ${e.path} body ${JSON.stringify(e.body)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
