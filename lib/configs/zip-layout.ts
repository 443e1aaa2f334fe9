/**
 * Nacos' own export layout (ConfigControllerV3 export / import, "v2"): a zip holding one file per
 * config at `<group>/<dataId>` plus `.metadata.yml` at the root listing each config's dataId,
 * group, type, appName and desc under `metadata:`. Building and reading it, with the limits an
 * upload must respect (docs/security.md §50): entry count, declared and total uncompressed size
 * (fflate inflates into a buffer of the declared size, so a lying header only truncates), names
 * `<group>/<dataId>` that are valid Nacos names, UTF-8 content, a known type. Pure: no server code.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type UnzipFileInfo } from "fflate";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export const METADATA_FILE = ".metadata.yml";
/** Nacos' v1 layout named its metadata this; it is not read here. */
const METADATA_FILE_V1 = ".meta.yml";
const NAME = /^[A-Za-z0-9_.:-]{1,256}$/;
export const ZIP_TYPES = ["text", "json", "xml", "yaml", "html", "properties", "toml"] as const;

export const ZIP_LIMITS = {
  /** The uploaded zip itself (sent base64 in a JSON body, which stays under the proxy's 10 MB body limit). */
  maxZipBytes: 5 * 1024 * 1024,
  /** Entries in the zip, metadata included. */
  maxEntries: 1000,
  /** One config's content (Nacos' default limit). */
  maxEntryBytes: 100 * 1024,
  /** All entries together, uncompressed. */
  maxTotalBytes: 20 * 1024 * 1024,
  /** The metadata file. */
  maxMetadataBytes: 2 * 1024 * 1024,
};

export interface ZipConfigItem {
  group: string;
  dataId: string;
  type: string;
  content: string;
  appName?: string | null;
  desc?: string | null;
}

/** An entry that cannot be imported, and why (shown per item; never written). */
export interface ZipProblem {
  path: string;
  group: string | null;
  dataId: string | null;
  reason: string;
}

export interface ParsedZip {
  items: ZipConfigItem[];
  problems: ZipProblem[];
}

/** The whole zip is unusable (not a zip, over a limit, no metadata): nothing is imported. */
export class ZipLayoutError extends Error {
  constructor(
    message: string,
    readonly field = "zip",
  ) {
    super(message);
    this.name = "ZipLayoutError";
  }
}

/** Builds the zip Nacos' own import reads. */
export function buildNacosZip(items: ZipConfigItem[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const metadata: Array<Record<string, string>> = [];
  for (const i of items) {
    const m: Record<string, string> = { dataId: i.dataId, group: i.group, type: i.type };
    if (i.appName) m.appName = i.appName;
    if (i.desc) m.desc = i.desc;
    metadata.push(m);
    files[`${i.group}/${i.dataId}`] = strToU8(i.content);
  }
  files[METADATA_FILE] = strToU8(stringifyYaml({ metadata }));
  return zipSync(files, { level: 6, mtime: new Date("2000-01-01T00:00:00Z") });
}

function splitPath(path: string): { group: string; dataId: string } | null {
  const parts = path.split("/");
  if (parts.length !== 2) return null;
  const [group, dataId] = parts as [string, string];
  // "." and ".." are Nacos names but path traversal in a zip: refused.
  const ok = (n: string) => NAME.test(n) && !/^\.+$/.test(n);
  return ok(group) && ok(dataId) ? { group, dataId } : null;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a zip in Nacos' layout. Throws ZipLayoutError when the zip as a whole is unusable;
 * entries that are not importable come back in `problems` with the reason.
 */
export function parseNacosZip(bytes: Uint8Array, limits = ZIP_LIMITS): ParsedZip {
  if (bytes.byteLength > limits.maxZipBytes) throw new ZipLayoutError(`the zip is larger than ${limits.maxZipBytes} bytes`);
  const problems: ZipProblem[] = [];
  let entries = 0;
  let total = 0;
  const tooLarge = new Set<string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(f: UnzipFileInfo) {
        if (f.name.endsWith("/")) return false; // a directory entry
        entries += 1;
        if (entries > limits.maxEntries) throw new ZipLayoutError(`the zip holds more than ${limits.maxEntries} entries`);
        const max = f.name === METADATA_FILE ? limits.maxMetadataBytes : limits.maxEntryBytes;
        if (f.originalSize > max) {
          tooLarge.add(f.name);
          return false;
        }
        total += f.originalSize;
        if (total > limits.maxTotalBytes) throw new ZipLayoutError(`the zip expands to more than ${limits.maxTotalBytes} bytes`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ZipLayoutError) throw e;
    throw new ZipLayoutError(`not a readable zip: ${e instanceof Error ? e.message : String(e)}`);
  }
  const meta = files[METADATA_FILE];
  if (!meta) {
    if (tooLarge.has(METADATA_FILE)) throw new ZipLayoutError(`${METADATA_FILE} is larger than ${limits.maxMetadataBytes} bytes`);
    if (files[METADATA_FILE_V1]) throw new ZipLayoutError(`${METADATA_FILE_V1} (Nacos' old layout) is not supported; export again from Nacos 2.x or later`);
    throw new ZipLayoutError(`no ${METADATA_FILE} at the root of the zip (Nacos' export layout)`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(strFromU8(meta), { maxAliasCount: 0 });
  } catch (e) {
    throw new ZipLayoutError(`${METADATA_FILE} is not YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  const list = (doc as { metadata?: unknown } | null)?.metadata;
  if (!Array.isArray(list) || list.length === 0) throw new ZipLayoutError(`${METADATA_FILE} lists no configs under "metadata:"`);

  const described = new Map<string, { type: string; appName: string | null; desc: string | null }>();
  for (const raw of list) {
    const m = (raw ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
    const group = str(m.group);
    const dataId = str(m.dataId);
    const type = str(m.type);
    const path = `${group ?? "?"}/${dataId ?? "?"}`;
    if (!group || !dataId || !NAME.test(group) || !NAME.test(dataId)) {
      problems.push({ path, group, dataId, reason: `${METADATA_FILE}: group and dataId must be Nacos names (letters, digits and _ . : -)` });
      continue;
    }
    if (described.has(path)) {
      problems.push({ path, group, dataId, reason: `${METADATA_FILE} lists this config twice` });
      continue;
    }
    if (!type || !(ZIP_TYPES as readonly string[]).includes(type)) {
      problems.push({ path, group, dataId, reason: `type "${type ?? ""}" is not one of ${ZIP_TYPES.join(", ")}` });
      described.set(path, { type: "", appName: null, desc: null });
      continue;
    }
    described.set(path, { type, appName: str(m.appName), desc: str(m.desc) });
  }

  const items: ZipConfigItem[] = [];
  const seen = new Set<string>();
  const names = [...Object.keys(files), ...tooLarge].filter((n) => n !== METADATA_FILE && n !== METADATA_FILE_V1).sort();
  for (const name of names) {
    const key = splitPath(name);
    if (!key) {
      problems.push({ path: name, group: null, dataId: null, reason: "the path must be <group>/<dataId> with Nacos names (letters, digits and _ . : -)" });
      continue;
    }
    seen.add(name);
    const m = described.get(name);
    if (!m) {
      problems.push({ path: name, ...key, reason: `not listed in ${METADATA_FILE}` });
      continue;
    }
    if (m.type === "") continue; // already reported
    if (tooLarge.has(name)) {
      problems.push({ path: name, ...key, reason: `larger than ${limits.maxEntryBytes} bytes` });
      continue;
    }
    let content: string;
    try {
      content = decoder.decode(files[name]);
    } catch {
      problems.push({ path: name, ...key, reason: "not UTF-8 text" });
      continue;
    }
    items.push({ ...key, type: m.type, content, appName: m.appName, desc: m.desc });
  }
  for (const [path, m] of described) {
    if (seen.has(path) || m.type === "") continue;
    const key = splitPath(path)!;
    problems.push({ path, ...key, reason: `listed in ${METADATA_FILE} but the file is missing` });
  }
  return { items, problems };
}
