import { describe, expect, it } from "vitest";
import { contentErrors, lineColumn, validateContent } from "@/lib/formats/validate";

describe("validateContent", () => {
  it("accepts well-formed content of every checked type", () => {
    expect(validateContent("json", '{"a": [1, 2.5e3, true, null, "x\\u00e9"]}')).toEqual([]);
    expect(validateContent("yaml", "a:\n  b: 1\n  c: [x, y]\n")).toEqual([]);
    expect(validateContent("xml", "<a><b x='1'>t</b></a>")).toEqual([]);
    expect(validateContent("toml", 'a = 1\n[t]\nb = "x"\n')).toEqual([]);
    expect(validateContent("properties", "a=1\nb : 2\nc \\\n  continued\n# =comment\nd=\\u0041\n")).toEqual([]);
    expect(validateContent("text", "{{{ anything")).toEqual([]);
  });

  it("names line and column of malformed JSON", () => {
    expect(contentErrors("json", '{\n  "a": 1,\n  "b": }')).toEqual([{ line: 3, column: 8, message: 'unexpected "}", expected a value', severity: "error" }]);
    expect(contentErrors("json", '{"a": 1,}')[0]).toMatchObject({ line: 1, column: 9 });
    expect(contentErrors("json", '{"a": 1} x')[0]).toMatchObject({ line: 1, column: 10 });
    expect(contentErrors("json", "")[0]).toMatchObject({ line: 1, column: 1 });
  });

  it("names line and column of malformed YAML", () => {
    const [e] = contentErrors("yaml", "a: 1\nb: [1, 2\nc: 3\n");
    expect(e).toMatchObject({ severity: "error" });
    expect(e!.line).toBeGreaterThanOrEqual(2);
    expect(contentErrors("yaml", "a: 1\n  b: 2\n")[0]).toMatchObject({ line: 1, column: 4 });
  });

  it("names line and column of malformed XML", () => {
    expect(contentErrors("xml", "<a>\n  <b></c>\n</a>")[0]).toMatchObject({ line: 2, severity: "error" });
  });

  it("names line and column of malformed TOML", () => {
    expect(contentErrors("toml", "a = 1\nb = \n")[0]).toMatchObject({ line: 2, severity: "error" });
  });

  it("names line and column of malformed properties", () => {
    expect(contentErrors("properties", "a=1\nb=\\u00zz\n")).toEqual([{ line: 2, column: 3, message: "malformed \\uxxxx escape: four hex digits must follow \\u", severity: "error" }]);
    expect(contentErrors("properties", "a=1\n  =orphan\n")[0]).toMatchObject({ line: 2, column: 3 });
    // An escaped backslash before "u" is not an escape; a duplicate key only warns.
    expect(contentErrors("properties", "path=C:\\\\users\na=1\na=2\n")).toEqual([]);
    expect(validateContent("properties", "a=1\na=2\n")[0]).toMatchObject({ line: 2, severity: "warning" });
  });

  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
