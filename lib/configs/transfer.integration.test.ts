/**
 * Issue #13 item 6 on the stack's real Nacos 3.1 and a real PostgreSQL: export as a zip in
 * Nacos' layout with secret values redacted (in the zip and in every audit row); import with
 * each conflict policy — abort writes nothing (422 for invalid items, 409 for existing keys),
 * skip, overwrite CAS-guarded against the md5 the preview showed (changed meanwhile → that item
 * fails `conflict`, Nacos keeps the other change), redacted items refused, bad paths refused per
 * item; clone across environments server side (secrets copied intact, tier=prod needs operator,
 * a refusal audited `denied`); one audit row per written config plus one for the whole.
 */
import { randomBytes } from "node:crypto";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneConfigs, previewClone } from "@/lib/configs/clone-configs";
import { ConfigBetasInput, ConfigListInput, configBetas, listConfigs } from "@/lib/configs/configs";
import { createConfig } from "@/lib/configs/create-config";
import { exportConfigs } from "@/lib/configs/export-configs";
import { importConfigs, previewImport } from "@/lib/configs/import-configs";
import { transferProgress } from "@/lib/configs/transfer";
import { transferResponse } from "@/lib/configs/transfer-stream";
import { buildNacosZip, METADATA_FILE, type ZipConfigItem } from "@/lib/configs/zip-layout";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { AppError } from "@/lib/errors";
import { createNacosClient, md5Hex, type NacosClient } from "@/lib/nacos/client";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const run = randomBytes(3).toString("hex");
const NS1 = `xfer-a-${run}`;
const NS2 = `xfer-b-${run}`;
const NS3 = `xfer-p-${run}`;
const DEV = `xfer-dev-${run}`;
const PROD = `xfer-prod-${run}`;
const G = "XFER_GROUP";
const SECRET_A = `s3cret-${run}-A`;
const SECRET_B = `hunter2-${run}-B`;
const admin = actorWithRole("admin");
const operator = actorWithRole("operator");
const developer = actorWithRole("developer");

let pg: PostgresFixture;
let nacos: NacosClient;

const seeds: ZipConfigItem[] = [
  { group: G, dataId: "app.yaml", type: "yaml", content: `server:\n  port: 8080\ndb:\n  password: ${SECRET_A}\n` },
  { group: G, dataId: "db.properties", type: "properties", content: `db.url=jdbc:mysql://db:3306/app\ndb.password=${SECRET_B}\n` },
  { group: G, dataId: "plain.json", type: "json", content: '{"rps": 100}' },
];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const read = (namespace: string, dataId: string, group = G) => nacos.getConfig({ namespace, group, dataId });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

async function auditRows(requestIdPrefix: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT request_id, phase, outcome, action, target_name, before, after, detail FROM audit_events WHERE request_id = $1 OR request_id LIKE $2 ORDER BY id", [requestIdPrefix, `${requestIdPrefix}.%`]));
  return r.rows as Array<{ request_id: string; phase: string; outcome: string | null; action: string; target_name: string | null; before: unknown; after: unknown; detail: Record<string, unknown> | null }>;
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("transfer");
  setProcessDatabase(pg.handle);
  const url = peerEnv("nacos", "NACOS_URL");
  const username = peerEnv("nacos", "NACOS_USERNAME");
  const password = peerEnv("nacos", "NACOS_PASSWORD");
  nacos = createNacosClient({ environment: "direct", baseUrl: url, username, password, timeoutMs: 10_000 });
  for (const id of [NS1, NS2, NS3]) await nacos.createNamespace({ id, name: id });
  await createEnvironment.execute(admin, { name: DEV, labels: { tier: "dev" }, registry: { kind: "nacos", url, username, password, namespaces: [NS1, NS2] } }, meta());
  await createEnvironment.execute(admin, { name: PROD, labels: { tier: "prod" }, registry: { kind: "nacos", url, username, password, namespaces: [NS3] } }, meta());
  for (const s of seeds) await createConfig.execute(admin, { environment: DEV, namespace: NS1, ...s }, meta());
}, 120_000);

afterAll(async () => {
  if (nacos) {
    for (const ns of [NS1, NS2, NS3]) {
      const page = await nacos.listConfigs({ namespace: ns, pageSize: 500 }).catch(() => ({ items: [] }));
      for (const c of page.items) await nacos.deleteConfig({ namespace: ns, group: c.group, dataId: c.dataId }).catch(() => undefined);
    }
    const base = peerEnv("nacos", "NACOS_URL").replace(/\/$/, "");
    const login = await fetch(`${base}/v3/auth/user/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") }).toString(),
    }).catch(() => null);
    const token = ((await login?.json().catch(() => null)) as { accessToken?: string } | null)?.accessToken ?? "";
    for (const ns of [NS1, NS2, NS3]) await fetch(`${base}/v3/admin/core/namespace?namespaceId=${ns}`, { method: "DELETE", headers: { accessToken: token } }).catch(() => undefined);
  }
  await pg?.drop();
});

let exported: Uint8Array;

describe("export (Nacos' layout, secrets redacted)", () => {
  it("exports the whole namespace: one file per config at <group>/<dataId> and .metadata.yml; no secret value in the zip nor in the audit row", async () => {
    const m = meta();
    const out = await exportConfigs.execute(operator, { environment: DEV, namespace: NS1 }, m);
    exported = out.zip;
    expect(out.count).toBe(3);
    expect(out.redactedItems).toBe(2);
    const files = unzipSync(out.zip);
    expect(Object.keys(files).sort()).toEqual([METADATA_FILE, `${G}/app.yaml`, `${G}/db.properties`, `${G}/plain.json`]);
    expect(strFromU8(files[METADATA_FILE]!)).toContain("dataId: app.yaml");
    const everything = Object.values(files)
      .map((f) => strFromU8(f))
      .join("\n");
    expect(everything).not.toContain(SECRET_A);
    expect(everything).not.toContain(SECRET_B);
    expect(strFromU8(files[`${G}/db.properties`]!)).toContain("db.url=jdbc:mysql://db:3306/app");
    expect(strFromU8(files[`${G}/plain.json`]!)).toBe('{"rps": 100}');
    const rows = await auditRows(m.requestId);
    expect(rows.map((r) => `${r.phase}:${r.outcome ?? ""}:${r.action}`)).toEqual(["intent::config.export", "outcome:succeeded:config.export"]);
    expect(rows[1]!.after).toMatchObject({ count: 3, redactedItems: 2 });
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${SECRET_A}|${SECRET_B}|rps`));
  });

  it("exports only the selected configs", async () => {
    const out = await exportConfigs.execute(operator, { environment: DEV, namespace: NS1, items: [{ group: G, dataId: "plain.json" }] }, meta());
    expect(Object.keys(unzipSync(out.zip)).sort()).toEqual([METADATA_FILE, `${G}/plain.json`]);
  });
});

describe("import with each conflict policy", () => {
  it("abort: the export's redacted items are refused and nothing is written (422 naming them)", async () => {
    const preview = await previewImport(operator, DEV, { environment: DEV, namespace: NS2, policy: "abort", zip: b64(exported) });
    expect(Object.fromEntries(preview.items.map((i) => [i.path, i.action]))).toEqual({ [`${G}/app.yaml`]: "fail", [`${G}/db.properties`]: "fail", [`${G}/plain.json`]: "create" });
    const m = meta();
    const e = await failure(importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "abort", zip: b64(exported) }, m));
    expect(e.status).toBe(422);
    expect((e.details?.items as Array<{ path: string; reason: string }>).map((i) => i.path).sort()).toEqual([`${G}/app.yaml`, `${G}/db.properties`]);
    expect((e.details?.items as Array<{ reason: string }>)[0]!.reason).toMatch(/redacted/);
    expect(await read(NS2, "plain.json")).toBeNull();
    expect((await auditRows(m.requestId)).map((r) => r.action)).toEqual(["config.import", "config.import"]);
  });

  it("skip: valid items are created, redacted ones refused per item; importing again skips what exists", async () => {
    const m = meta();
    const r = await importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "skip", zip: b64(exported) }, m);
    expect(r.counts).toEqual({ created: 1, overwritten: 0, skipped: 0, failed: 2 });
    expect(r.items.find((i) => i.path === `${G}/app.yaml`)!.reason).toMatch(/redacted.*clone/);
    expect((await read(NS2, "plain.json"))?.content).toBe('{"rps": 100}');
    expect(await read(NS2, "app.yaml")).toBeNull();
    // One audit row pair for the written config (as a create), one pair for the import with its counts.
    const rows = await auditRows(m.requestId);
    expect(rows.map((x) => `${x.request_id === m.requestId ? "import" : "item"}:${x.phase}:${x.action}:${x.outcome ?? ""}`)).toEqual([
      "import:intent:config.import:",
      "item:intent:config.create:",
      "item:outcome:config.create:succeeded",
      "import:outcome:config.import:partial",
    ]);
    expect(rows.at(-1)!.detail).toMatchObject({ policy: "skip", counts: { created: 1, failed: 2 } });
    const again = await importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "skip", zip: b64(exported) }, meta());
    expect(again.items.find((i) => i.path === `${G}/plain.json`)).toMatchObject({ outcome: "skipped", reason: "exists" });
  });

  it("abort: an existing key → 409 naming it, and the new key beside it is not written", async () => {
    const zip = buildNacosZip([
      { group: G, dataId: "plain.json", type: "json", content: '{"rps": 1}' },
      { group: G, dataId: "fresh.txt", type: "text", content: "fresh" },
    ]);
    const e = await failure(importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "abort", zip: b64(zip) }, meta()));
    expect(e.status).toBe(409);
    expect(e.details?.items).toEqual([{ path: `${G}/plain.json`, reason: "exists" }]);
    expect(await read(NS2, "fresh.txt")).toBeNull();
    expect((await read(NS2, "plain.json"))?.content).toBe('{"rps": 100}');
  });

  it("overwrite: the previewed md5 guards each write; a config changed meanwhile fails `conflict` and Nacos keeps that change", async () => {
    await createConfig.execute(admin, { environment: DEV, namespace: NS2, group: G, dataId: "other.yaml", type: "yaml", content: "a: 1\n" }, meta());
    const zip = b64(
      buildNacosZip([
        { group: G, dataId: "plain.json", type: "json", content: '{"rps": 200}' },
        { group: G, dataId: "other.yaml", type: "yaml", content: "a: 2\n" },
        { group: G, dataId: "new.yaml", type: "yaml", content: "n: 1\n" },
      ]),
    );
    const preview = await previewImport(operator, DEV, { environment: DEV, namespace: NS2, policy: "overwrite", zip });
    expect(Object.fromEntries(preview.items.map((i) => [i.path, i.action]))).toEqual({ [`${G}/plain.json`]: "overwrite", [`${G}/other.yaml`]: "overwrite", [`${G}/new.yaml`]: "create" });
    const diff = preview.items.find((i) => i.path === `${G}/plain.json`)!;
    expect([diff.before, diff.after]).toEqual(['{"rps": 100}', '{"rps": 200}']);
    expect(preview.expected).toEqual({ [`${G}/plain.json`]: md5Hex('{"rps": 100}'), [`${G}/other.yaml`]: md5Hex("a: 1\n"), [`${G}/new.yaml`]: null });
    // Someone else publishes other.yaml between the preview and the confirmed import.
    await nacos.publishConfig({ namespace: NS2, group: G, dataId: "other.yaml", content: "a: 99\n", type: "yaml" });
    const m = meta();
    const r = await importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "overwrite", zip, expected: preview.expected }, m);
    expect(Object.fromEntries(r.items.map((i) => [i.path, i.outcome]))).toEqual({ [`${G}/plain.json`]: "overwritten", [`${G}/other.yaml`]: "failed", [`${G}/new.yaml`]: "created" });
    expect(r.items.find((i) => i.path === `${G}/other.yaml`)!.reason).toMatch(/^conflict/);
    expect((await read(NS2, "other.yaml"))?.content).toBe("a: 99\n");
    expect((await read(NS2, "plain.json"))?.content).toBe('{"rps": 200}');
    expect((await read(NS2, "new.yaml"))?.content).toBe("n: 1\n");
    const rows = await auditRows(m.requestId);
    // Items are written in path order (new.yaml, plain.json); the import's own row comes last.
    expect(rows.filter((x) => x.phase === "outcome").map((x) => `${x.action}:${x.outcome}:${x.target_name}`)).toEqual([`config.create:succeeded:${G}/new.yaml`, `config.publish:succeeded:${G}/plain.json`, "config.import:partial:import"]);
    const publish = rows.find((x) => x.action === "config.publish" && x.phase === "outcome")!;
    expect(publish.before).toMatchObject({ md5: md5Hex('{"rps": 100}') });
  });

  it("overwrite: an identical config is skipped as unchanged, not re-published", async () => {
    const zip = b64(buildNacosZip([{ group: G, dataId: "plain.json", type: "json", content: '{"rps": 200}' }]));
    const r = await importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "overwrite", zip }, meta());
    expect(r.items).toEqual([expect.objectContaining({ outcome: "skipped", reason: "unchanged" })]);
  });

  it("refuses bad paths, unlisted files and malformed content per item (line and column), and writes the rest", async () => {
    const zip = zipSync({
      "../escape": strToU8("x"),
      [`${G}/a/b`]: strToU8("x"),
      [`${G}/bad.yaml`]: strToU8("a: [1, 2\n"),
      [`${G}/good.txt`]: strToU8("good"),
      [`${G}/unlisted.txt`]: strToU8("u"),
      [METADATA_FILE]: strToU8(`metadata:\n- dataId: bad.yaml\n  group: ${G}\n  type: yaml\n- dataId: good.txt\n  group: ${G}\n  type: text\n`),
    });
    const r = await importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "skip", zip: b64(zip) }, meta());
    const reasons = Object.fromEntries(r.items.map((i) => [i.path, `${i.outcome}: ${i.reason ?? ""}`]));
    expect(reasons["../escape"]).toMatch(/^failed: the path must be <group>\/<dataId>/);
    expect(reasons[`${G}/a/b`]).toMatch(/^failed: the path must be/);
    expect(reasons[`${G}/unlisted.txt`]).toMatch(/^failed: not listed in \.metadata\.yml/);
    expect(reasons[`${G}/bad.yaml`]).toMatch(/^failed: yaml does not parse at line \d+, column \d+/);
    expect(reasons[`${G}/good.txt`]).toBe("created: ");
    expect(await read(NS2, "bad.yaml")).toBeNull();
    expect((await nacos.listConfigs({ namespace: NS2, pageSize: 100 })).items.map((c) => c.dataId).sort()).toEqual(["good.txt", "new.yaml", "other.yaml", "plain.json"]);
  });

  it("a zip that is not a zip, or lacks .metadata.yml, is refused as a whole naming `zip`", async () => {
    const e = await failure(importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "skip", zip: b64(strToU8("not a zip")) }, meta()));
    expect([e.status, e.fields?.[0]?.field]).toEqual([400, "zip"]);
    const e2 = await failure(importConfigs.execute(operator, { environment: DEV, namespace: NS2, policy: "skip", zip: b64(zipSync({ [`${G}/x`]: strToU8("x") })) }, meta()));
    expect(e2.message).toMatch(/no \.metadata\.yml/);
  });

  it("a viewer may not import (403, audited denied)", async () => {
    const m = meta();
    const e = await failure(importConfigs.execute(actorWithRole("viewer"), { environment: DEV, namespace: NS2, policy: "skip", zip: b64(exported) }, m));
    expect(e.status).toBe(403);
    expect((await auditRows(m.requestId)).map((r) => r.outcome)).toEqual(["denied"]);
  });
});

describe("clone", () => {
  const items = seeds.map((s) => ({ group: s.group, dataId: s.dataId }));

  it("a developer may not clone into tier=prod: 403, audited denied, nothing written", async () => {
    const m = meta();
    const e = await failure(cloneConfigs.execute(developer, { environment: DEV, namespace: NS1, items, targetEnvironment: PROD, targetNamespace: NS3, policy: "skip" }, m));
    expect(e.status).toBe(403);
    expect((await auditRows(m.requestId)).map((r) => `${r.action}:${r.outcome}`)).toEqual(["config.clone:denied"]);
    expect(await read(NS3, "app.yaml")).toBeNull();
  });

  it("an operator clones across environments server side: secrets copied intact, per-item results, audit rows without secret values", async () => {
    const preview = await previewClone(operator, DEV, { environment: DEV, namespace: NS1, items, targetEnvironment: PROD, targetNamespace: NS3, policy: "abort" });
    expect(preview.plan.counts).toEqual({ create: 3, overwrite: 0, skip: 0, fail: 0 });
    const m = meta();
    const r = await cloneConfigs.execute(operator, { environment: DEV, namespace: NS1, items, targetEnvironment: PROD, targetNamespace: NS3, policy: "abort", expected: preview.expected }, m);
    expect(r).toMatchObject({ environment: PROD, namespace: NS3, counts: { created: 3, overwritten: 0, skipped: 0, failed: 0 } });
    expect((await read(NS3, "app.yaml"))?.content).toBe(seeds[0]!.content);
    expect((await read(NS3, "db.properties"))?.content).toContain(SECRET_B);
    const rows = await auditRows(m.requestId);
    expect(rows.filter((x) => x.phase === "outcome").map((x) => `${x.action}:${x.outcome}`)).toEqual(["config.create:succeeded", "config.create:succeeded", "config.create:succeeded", "config.clone:succeeded"]);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${SECRET_A}|${SECRET_B}`));
    // Again under abort: every key exists now → 409, nothing written.
    const e = await failure(cloneConfigs.execute(operator, { environment: DEV, namespace: NS1, items, targetEnvironment: PROD, targetNamespace: NS3, policy: "abort" }, meta()));
    expect(e.status).toBe(409);
  });

  it("clone onto itself is refused naming targetNamespace", async () => {
    const e = await failure(cloneConfigs.execute(operator, { environment: DEV, namespace: NS1, items, targetEnvironment: DEV, targetNamespace: NS1, policy: "skip" }, meta()));
    expect([e.status, e.fields?.[0]?.field]).toEqual([400, "targetNamespace"]);
  });
});

describe("has-gray: Nacos' truth, not only the console's table", () => {
  it("a beta published straight to Nacos shows as gray in the page's badges and in the gray filter; stopping it clears both", async () => {
    await nacos.publishConfig({ namespace: NS1, group: G, dataId: "plain.json", content: '{"rps": 5}', type: "json", betaIps: ["127.0.0.9"] });
    const page = await listConfigs(operator, DEV, ConfigListInput.parse({ namespace: NS1 }));
    const keys = page.items.map((i) => `${i.group}/${i.dataId}`).join(",");
    expect(await configBetas(operator, DEV, ConfigBetasInput.parse({ namespace: NS1, keys }))).toEqual({ keys: [`${G}/plain.json`] });
    const started = performance.now();
    const filtered = await listConfigs(operator, DEV, ConfigListInput.parse({ namespace: NS1, gray: "true" }));
    console.log(`gray filter over ${page.total} configs: ${Math.round(performance.now() - started)} ms`);
    expect(filtered.items.map((i) => [i.dataId, i.gray])).toEqual([["plain.json", true]]);
    expect(filtered.total).toBe(1);
    await nacos.stopBeta({ namespace: NS1, group: G, dataId: "plain.json" });
    expect(await configBetas(operator, DEV, ConfigBetasInput.parse({ namespace: NS1, keys }))).toEqual({ keys: [] });
    // Another search term is another scan (the 10 s cache is per search).
    expect((await listConfigs(operator, DEV, ConfigListInput.parse({ namespace: NS1, gray: "true", dataId: "plain" }))).total).toBe(0);
  });
});

describe("progress stream and secrets", () => {
  it("streams one progress line per item, then the result; a refusal before any write keeps its status", async () => {
    const req = (accept: string) => new Request("http://x/", { headers: { accept } });
    const res = await transferResponse(req("application/x-ndjson"), async () => {
      const report = transferProgress.getStore()!;
      report({ done: 1, total: 2 });
      report({ done: 2, total: 2 });
      return { ok: true };
    });
    expect(res.headers.get("content-type")).toMatch(/ndjson/);
    expect((await res.text()).trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([{ progress: { done: 1, total: 2 } }, { progress: { done: 2, total: 2 } }, { result: { ok: true } }]);
    await expect(transferResponse(req("application/x-ndjson"), () => Promise.reject(new AppError("CONFLICT", "x")))).rejects.toThrow("x");
    expect(await (await transferResponse(req("application/json"), async () => ({ plain: 1 }))).json()).toEqual({ plain: 1 });
  });

  it("no audit row anywhere holds a secret value", async () => {
    const r = await pg.asAdmin((c) => c.query("SELECT count(*)::int AS n FROM audit_events WHERE before::text LIKE $1 OR after::text LIKE $1 OR detail::text LIKE $1 OR before::text LIKE $2 OR after::text LIKE $2 OR detail::text LIKE $2", [`%${SECRET_A}%`, `%${SECRET_B}%`]));
    expect((r.rows[0] as { n: number }).n).toBe(0);
    const all = await pg.asAdmin((c) => c.query("SELECT count(*)::int AS n FROM audit_events WHERE action LIKE 'config.%'"));
    expect((all.rows[0] as { n: number }).n).toBeGreaterThan(20);
  });
});
