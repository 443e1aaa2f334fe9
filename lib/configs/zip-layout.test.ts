import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { transferReasonCode } from "@/lib/configs/keys";
import { buildNacosZip, METADATA_FILE, parseNacosZip, ZipLayoutError, ZIP_LIMITS } from "@/lib/configs/zip-layout";

const meta = (items: Array<Record<string, string>>) => strToU8(`metadata:\n${items.map((m) => `- ${Object.entries(m).map(([k, v], i) => `${i ? "  " : ""}${k}: ${v}`).join("\n")}`).join("\n")}\n`);

describe("Nacos' export layout", () => {
  it("builds <group>/<dataId> files and a .metadata.yml listing dataId, group, type, appName, desc", () => {
    const zip = buildNacosZip([
      { group: "DEFAULT_GROUP", dataId: "app.yaml", type: "yaml", content: "a: 1\n", desc: "the app" },
      { group: "G2", dataId: "db.properties", type: "properties", content: "x=1\n", appName: "shop" },
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([METADATA_FILE, "DEFAULT_GROUP/app.yaml", "G2/db.properties"]);
    expect(strFromU8(files["DEFAULT_GROUP/app.yaml"]!)).toBe("a: 1\n");
    expect(parseYaml(strFromU8(files[METADATA_FILE]!))).toEqual({
      metadata: [
        { dataId: "app.yaml", group: "DEFAULT_GROUP", type: "yaml", desc: "the app" },
        { dataId: "db.properties", group: "G2", type: "properties", appName: "shop" },
      ],
    });
  });

  it("reads back what it builds", () => {
    const items = [{ group: "G", dataId: "a.json", type: "json", content: '{"a":1}', appName: null, desc: null }];
    expect(parseNacosZip(buildNacosZip(items))).toEqual({ items, problems: [] });
  });

  it("reads a zip as Nacos writes it (metadata with every field, including empty ones)", () => {
    const zip = zipSync({
      "DEFAULT_GROUP/x.text": strToU8("hello"),
      [METADATA_FILE]: strToU8("metadata:\n- appName: ''\n  dataId: x.text\n  desc: ''\n  group: DEFAULT_GROUP\n  type: text\n"),
    });
    expect(parseNacosZip(zip).items).toEqual([{ group: "DEFAULT_GROUP", dataId: "x.text", type: "text", content: "hello", appName: "", desc: "" }]);
  });

  it("refuses bad paths, unlisted and missing files, unknown types, non-UTF-8 and oversized entries per item", () => {
    const zip = zipSync({
      "../etc/passwd": strToU8("x"),
      "../escape": strToU8("x"),
      "G/deep/file": strToU8("x"),
      "G/bad name": strToU8("x"),
      "G/unlisted": strToU8("x"),
      "G/binary": new Uint8Array([0xff, 0xfe, 0x00]),
      "G/weird": strToU8("x"),
      "G/ok": strToU8("fine"),
      "G/big": new Uint8Array(ZIP_LIMITS.maxEntryBytes + 1).fill(97),
      [METADATA_FILE]: meta([
        { dataId: "ok", group: "G", type: "text" },
        { dataId: "binary", group: "G", type: "text" },
        { dataId: "weird", group: "G", type: "exe" },
        { dataId: "gone", group: "G", type: "text" },
        { dataId: "big", group: "G", type: "text" },
      ]),
    });
    const r = parseNacosZip(zip);
    expect(r.items.map((i) => `${i.group}/${i.dataId}`)).toEqual(["G/ok"]);
    const reasons = Object.fromEntries(r.problems.map((p) => [p.path, p.reason]));
    expect(reasons["../etc/passwd"]).toMatch(/<group>\/<dataId>/);
    expect(reasons["../escape"]).toMatch(/<group>\/<dataId>/);
    expect(reasons["G/deep/file"]).toMatch(/<group>\/<dataId>/);
    expect(reasons["G/bad name"]).toMatch(/<group>\/<dataId>/);
    expect(reasons["G/unlisted"]).toMatch(/not listed/);
    expect(reasons["G/binary"]).toMatch(/UTF-8/);
    expect(reasons["G/weird"]).toMatch(/type "exe"/);
    expect(reasons["G/gone"]).toMatch(/missing/);
    expect(reasons["G/big"]).toMatch(/larger than/);
    expect(r.problems).toHaveLength(9);
    // Each reason has a kind the UI words in the reader's language.
    expect(r.problems.map((p) => transferReasonCode(p.reason)).sort()).toEqual(["badPath", "badPath", "badPath", "badPath", "badType", "missingFile", "notUtf8", "tooLarge", "unlisted"].sort());
  });

  it("refuses the whole zip: not a zip, no metadata, too many entries, too large when expanded", () => {
    expect(() => parseNacosZip(strToU8("not a zip at all"))).toThrow(ZipLayoutError);
    expect(() => parseNacosZip(zipSync({ "G/a": strToU8("x") }))).toThrow(/no \.metadata\.yml/);
    expect(() => parseNacosZip(zipSync({ "G/a": strToU8("x"), ".meta.yml": strToU8("x") }))).toThrow(/old layout/);
    const many: Record<string, Uint8Array> = { [METADATA_FILE]: meta([{ dataId: "a", group: "G", type: "text" }]) };
    for (let i = 0; i < 5; i++) many[`G/f${i}`] = strToU8("x");
    expect(() => parseNacosZip(zipSync(many), { ...ZIP_LIMITS, maxEntries: 4 })).toThrow(/more than 4 entries/);
    // A bomb: 1000 entries of 64 KiB zeros compress to almost nothing.
    const bomb: Record<string, Uint8Array> = { [METADATA_FILE]: meta([{ dataId: "a", group: "G", type: "text" }]) };
    for (let i = 0; i < 400; i++) bomb[`G/z${i}`] = new Uint8Array(64 * 1024);
    const compressed = zipSync(bomb, { level: 9 });
    expect(compressed.byteLength).toBeLessThan(1024 * 1024);
    expect(() => parseNacosZip(compressed, { ...ZIP_LIMITS, maxTotalBytes: 10 * 1024 * 1024 })).toThrow(/expands to more than/);
  });
});
