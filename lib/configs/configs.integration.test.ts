/**
 * Issue #13 over HTTP against two built console processes (two replicas, `scripts/server.mts`)
 * sharing one PostgreSQL, on the stack's real Nacos 3.1, in a Nacos namespace of this run:
 * no lost update (CAS → 409 with base/theirs/mine, Nacos keeps the first), creates serialized
 * across replicas (one 201, one 409), malformed content refused with line and column, rollback
 * as a new version, gray release to 127.0.0.2 read by clients bound to 127.0.0.2 and
 * 127.0.0.1, widen / promote / abort, a passed deadline aborted once by the system actor with two
 * replicas running, roles (viewer refused, a developer on tier=prod refused, both audited
 * `denied`), and no secret value in any audit row.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNacosClient, md5Hex, type NacosClient } from "@/lib/nacos/client";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startConfigProbe, type ConfigProbe } from "@/lib/testing/nacos-config-client";
import { peerEnv } from "@/lib/testing/peers";

const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const USER_PASSWORD = `user-pass-${randomBytes(6).toString("hex")}`;
const secret = testSecret();
const encryptionKey = testSecret();
const run = randomBytes(3).toString("hex");
const NS = `cfg-${run}`;
const ENV = "cfg-dev";
const PROD = "cfg-prod";
const G = "CFG_GROUP";

let pg: PostgresFixture;
let nacos: NacosClient;
let nacosUrl: URL;
let A: ConsoleServer;
let B: ConsoleServer;
const cookies: Record<string, string> = {};
const dataDirs: string[] = [];

interface Answer {
  status: number;
  requestId: string;
  body: Record<string, unknown>;
}

async function call(server: ConsoleServer, who: string, method: string, route: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { origin: server.url, cookie: cookies[who] ?? "" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, requestId: res.headers.get("x-request-id") ?? "", body: parsed };
}

const cfg = (env: string, dataId: string, suffix = "") => `/api/v1/environments/${env}/configs/${G}/${dataId}${suffix}?namespace=${NS}`;
const create = (server: ConsoleServer, who: string, dataId: string, type: string, content: string, env = ENV) =>
  call(server, who, "POST", `/api/v1/environments/${env}/configs`, { namespace: NS, group: G, dataId, type, content });

async function signIn(server: ConsoleServer, who: string, username: string, password: string): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: server.url, "content-type": "application/json" },
    body: JSON.stringify({ username, password, source: "local" }),
  });
  expect(res.status).toBe(200);
  cookies[who] = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

async function createUser(username: string, role: string, environmentSelector: string): Promise<void> {
  const u = await call(A, "admin", "POST", "/api/v1/access/users", { username, displayName: username, password: USER_PASSWORD });
  expect(u.status, JSON.stringify(u.body)).toBe(201);
  const b = await call(A, "admin", "POST", "/api/v1/access/bindings", { subjectKind: "user", subject: u.body.id, role, environmentSelector });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  await signIn(A, username, username, USER_PASSWORD);
}

async function auditRows(requestId: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT phase, outcome, action, actor_name, before, after, detail FROM audit_events WHERE request_id = $1 ORDER BY id", [requestId]));
  return r.rows as Array<{ phase: string; outcome: string | null; action: string; actor_name: string; before: unknown; after: unknown; detail: Record<string, unknown> | null }>;
}

/** Nacos' token, for the client reads below (the console never hands it out). */
let nacosToken = "";
async function nacosLogin(): Promise<string> {
  const res = await fetch(`${nacosUrl.href.replace(/\/$/, "")}/v3/auth/user/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") }).toString(),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/**
 * What an application at `localAddress` reads: Nacos' client API over a socket bound to that
 * loopback address, so Nacos sees the client's IP as a gray rule does.
 */
function clientRead(localAddress: string, dataId: string): Promise<{ content: string; beta: boolean }> {
  const url = new URL(`${nacosUrl.href.replace(/\/$/, "")}/v3/client/cs/config`);
  url.search = new URLSearchParams({ dataId, groupName: G, namespaceId: NS }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { localAddress, headers: { accessToken: nacosToken } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => {
        const data = (JSON.parse(text) as { data: { content: string; beta: boolean } }).data;
        resolve({ content: data.content, beta: data.beta });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 60): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  return fn();
}

function consoleEnv(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-configs-"));
  dataDirs.push(dir);
  return {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: secret,
    SWITCHYARD_ENCRYPTION_KEY: encryptionKey,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: dir,
    SWITCHYARD_GRAY_DEADLINE_INTERVAL_MS: "300",
  };
}

beforeAll(async () => {
  pg = await freshPostgres("configs");
  nacosUrl = new URL(peerEnv("nacos", "NACOS_URL"));
  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password });
  await nacos.createNamespace({ id: NS, name: NS });
  nacosToken = await nacosLogin();
  [A, B] = await Promise.all([startConsole(consoleEnv()), startConsole(consoleEnv())]);
  await signIn(A, "admin", "admin", ADMIN_PASSWORD);
  for (const [name, tier] of [
    [ENV, "dev"],
    [PROD, "prod"],
  ] as const) {
    const created = await call(A, "admin", "POST", "/api/v1/environments", { name, labels: { tier }, registry: { kind: "nacos", url: conn.url, username: conn.username, password: conn.password, namespaces: [NS] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  await createUser(`viewer-${run}`, "viewer", "*");
  await createUser(`dev-${run}`, "developer", "*");
}, 240_000);

afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop()]);
  await pg?.drop();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("configs: no lost update (issue #13 item 3)", () => {
  it("two editors load version 1; the first publishes; the second gets 409 with base, theirs and mine, and Nacos keeps the first", async () => {
    const dataId = `cas-${run}.yaml`;
    expect((await create(A, "admin", dataId, "yaml", "level: 1\n")).status).toBe(201);
    const one = await call(A, "admin", "GET", cfg(ENV, dataId));
    const two = await call(B, "admin", "GET", cfg(ENV, dataId));
    const loaded = (one.body.formal as { md5: string; content: string }).md5;
    expect((two.body.formal as { md5: string }).md5).toBe(loaded);

    const first = await call(A, "admin", "PUT", cfg(ENV, dataId), { type: "yaml", content: "level: 2\n", casMd5: loaded, baseContent: "level: 1\n" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await call(B, "admin", "PUT", cfg(ENV, dataId), { type: "yaml", content: "level: 3\n", casMd5: loaded, baseContent: "level: 1\n" });
    expect(second.status).toBe(409);
    expect(second.body.conflict).toEqual({ base: "level: 1\n", theirs: "level: 2\n", theirsMd5: md5Hex("level: 2\n"), mine: "level: 3\n" });
    expect((await nacos.getConfig({ namespace: NS, group: G, dataId }))!.content).toBe("level: 2\n");
    const rows = await auditRows(second.requestId);
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "conflict"],
    ]);
    // The outcome row keeps md5s, not the three contents.
    expect(JSON.stringify(rows[1]!.detail)).not.toContain("level: 3");

    // Reload and reapply: the edit on top of theirs, CAS on theirs, goes through.
    const reapplied = await call(B, "admin", "PUT", cfg(ENV, dataId), { type: "yaml", content: "level: 3\n", casMd5: md5Hex("level: 2\n"), baseContent: "level: 2\n" });
    expect(reapplied.status).toBe(200);
    expect((await nacos.getConfig({ namespace: NS, group: G, dataId }))!.content).toBe("level: 3\n");
  });

  it("two creates of one key at once through two replicas: one 201, one 409, five times", async () => {
    for (let i = 0; i < 5; i++) {
      const dataId = `race-${run}-${i}.properties`;
      const [x, y] = await Promise.all([create(A, "admin", dataId, "properties", "who=a\n"), create(B, "admin", dataId, "properties", "who=b\n")]);
      expect([x.status, y.status].sort(), `${JSON.stringify(x.body)} ${JSON.stringify(y.body)}`).toEqual([201, 409]);
      const winner = x.status === 201 ? "who=a\n" : "who=b\n";
      expect((await nacos.getConfig({ namespace: NS, group: G, dataId }))!.content).toBe(winner);
    }
  });
});

describe("configs: malformed content is refused with line and column", () => {
  const cases: Array<[string, string, string]> = [
    ["yaml", "a: 1\nb: [1, 2\nc: 3\n", "line 3"],
    ["json", '{\n  "a": 1,\n  "b": }\n', "line 3, column 8"],
    ["xml", "<a>\n  <b></c>\n</a>\n", "line 2"],
    ["properties", "a=1\nb=\\u00zz\n", "line 2, column 3"],
    ["toml", "a = 1\nb = \n", "line 2"],
  ];
  for (const [type, content, where] of cases) {
    it(`${type}: 400 naming ${where}; nothing created`, async () => {
      const dataId = `bad-${run}.${type}`;
      const r = await create(A, "admin", dataId, type, content);
      expect(r.status).toBe(400);
      const errors = r.body.errors as Array<{ field: string; message: string }>;
      expect(errors[0]!.field).toBe("content");
      expect(errors[0]!.message).toContain(where);
      expect(await nacos.getConfig({ namespace: NS, group: G, dataId })).toBeNull();
    });
  }
});

describe("configs: history and rollback", () => {
  it("a rollback publishes an old content as a new version, CAS-guarded", async () => {
    const dataId = `hist-${run}.json`;
    expect((await create(A, "admin", dataId, "json", '{"v":1}')).status).toBe(201);
    const v1 = md5Hex('{"v":1}');
    expect((await call(A, "admin", "PUT", cfg(ENV, dataId), { type: "json", content: '{"v":2}', casMd5: v1 })).status).toBe(200);
    const history = await eventually(
      () => call(A, "admin", "GET", cfg(ENV, dataId, "/history")),
      (h) => (h.body.total as number) >= 2,
    );
    const items = history.body.items as Array<{ id: string; opType: string; sourceUser: string | null }>;
    const created = items.find((h) => h.opType === "I")!;
    const record = await call(A, "admin", "GET", cfg(ENV, dataId, `/history/${created.id}`));
    expect(record.body.content).toBe('{"v":1}');

    // Stale: the operator confirmed against v1, but v2 is published.
    const stale = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/rollback`, { namespace: NS, historyId: created.id, casMd5: v1 });
    expect(stale.status).toBe(409);
    const ok = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/rollback`, { namespace: NS, historyId: created.id, casMd5: md5Hex('{"v":2}') });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await nacos.getConfig({ namespace: NS, group: G, dataId }))!.content).toBe('{"v":1}');
    const after = await eventually(
      () => call(A, "admin", "GET", cfg(ENV, dataId, "/history")),
      (h) => (h.body.total as number) > (history.body.total as number),
    );
    expect(after.body.total as number).toBe((history.body.total as number) + 1);
    const rows = await auditRows(ok.requestId);
    expect(rows.at(-1)).toMatchObject({ action: "config.rollback", outcome: "succeeded" });
  });
});

describe("configs: compare across environments and namespaces", () => {
  it("shows the same config here and there; a side without it is null", async () => {
    const dataId = `cmp-${run}.yaml`;
    expect((await create(A, "admin", dataId, "yaml", "k: here\n")).status).toBe(201);
    const both = await call(A, "viewer-" + run, "GET", `${cfg(ENV, dataId, "/compare")}&otherEnvironment=${PROD}`);
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ left: { environment: ENV, content: "k: here\n" }, right: { environment: PROD, content: "k: here\n" } });
    const publicNs = await call(A, "admin", "GET", `${cfg(ENV, dataId, "/compare")}&otherNamespace=public`);
    expect(publicNs.body).toMatchObject({ left: { content: "k: here\n" }, right: { namespace: "", content: null } });
    const unknown = await call(A, "admin", "GET", `${cfg(ENV, dataId, "/compare")}&otherEnvironment=no-such-env`);
    expect(unknown.status).toBe(404);
  });
});

describe("configs: gray release", () => {
  const dataId = `gray-${run}.properties`;
  const key = { namespace: NS, group: G, dataId };
  let grayId = "";
  /** Two applications on the official Nacos Java SDK (gRPC), at 127.0.0.2 and 127.0.0.1. */
  let canary: ConfigProbe;
  let stable: ConfigProbe;
  const status = () => call(A, "admin", "GET", cfg(ENV, dataId, "/gray"));
  const holds = (s: Answer) => Object.fromEntries((s.body.listeners as Array<{ ip: string; holds: string }>).map((l) => [l.ip, l.holds]));

  afterAll(async () => {
    await Promise.all([canary?.stop(), stable?.stop()]);
  });

  it("a beta to 127.0.0.2: a client at 127.0.0.2 reads the gray content, one at 127.0.0.1 the formal", async () => {
    expect((await create(A, "admin", dataId, "properties", "feature=off\n")).status).toBe(201);
    const preview = await call(A, "admin", "GET", `${cfg(ENV, dataId, "/gray/preview")}&kind=ips&ips=127.0.0.2`);
    expect(preview.body).toEqual({ ips: ["127.0.0.2"], candidates: 0 });
    const started = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray`, {
      namespace: NS,
      type: "properties",
      content: "feature=on\n",
      rule: { kind: "ips", ips: ["127.0.0.2"] },
      expectedIps: ["127.0.0.2"],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    grayId = started.body.id as string;
    expect(await eventually(() => clientRead("127.0.0.2", dataId), (r) => r.content === "feature=on\n")).toEqual({ content: "feature=on\n", beta: true });
    expect(await clientRead("127.0.0.1", dataId)).toEqual({ content: "feature=off\n", beta: false });

    // Listening applications: the status view says which holds which (Nacos' listener query).
    [canary, stable] = await Promise.all([startConfigProbe(NS, "127.0.0.2"), startConfigProbe(NS, "127.0.0.1")]);
    expect((await canary.listen(dataId, G)).content).toBe("feature=on\n");
    expect((await stable.listen(dataId, G)).content).toBe("feature=off\n");
    const s = await eventually(status, (x) => (x.body.total as number) === 2);
    expect(holds(s)).toEqual({ "127.0.0.2": "gray", "127.0.0.1": "formal" });
    expect(s.body).toMatchObject({ onGray: 1, total: 2, betaIps: ["127.0.0.2"] });
    // One active gray per config.
    const again = await call(B, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray`, { namespace: NS, type: "properties", content: "feature=x\n", rule: { kind: "ips", ips: ["127.0.0.3"] } });
    expect(again.status).toBe(409);
    const list = await call(A, "admin", "GET", `/api/v1/environments/${ENV}/configs?namespace=${NS}&gray=true`);
    expect((list.body.items as Array<{ dataId: string }>).map((i) => i.dataId)).toEqual([dataId]);
  });

  it("widen to 127.0.0.2 and 127.0.0.3, then promote: both read the new content, no beta remains", async () => {
    const widened = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray/widen`, { namespace: NS, grayId, rule: { kind: "ips", ips: ["127.0.0.2", "127.0.0.3"] } });
    expect(widened.status, JSON.stringify(widened.body)).toBe(200);
    expect(await eventually(() => clientRead("127.0.0.3", dataId), (r) => r.beta)).toEqual({ content: "feature=on\n", beta: true });
    expect((await nacos.getBetaConfig(key))!.betaIps.sort()).toEqual(["127.0.0.2", "127.0.0.3"]);

    const formal = md5Hex("feature=off\n");
    const promoted = await call(B, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray/promote`, { namespace: NS, grayId, casMd5: formal });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body).toMatchObject({ formalMd5: md5Hex("feature=on\n"), betaMd5: null, confirmed: true });
    expect(await eventually(() => clientRead("127.0.0.1", dataId), (r) => r.content === "feature=on\n")).toEqual({ content: "feature=on\n", beta: false });
    // Nacos drops the beta from its client cache a moment after the stop.
    expect(await eventually(() => clientRead("127.0.0.2", dataId), (r) => !r.beta)).toEqual({ content: "feature=on\n", beta: false });
    expect(await nacos.getBetaConfig(key)).toBeNull();
    // Both listening applications were told, and the status shows nobody on gray.
    await stable.next((e) => e.event === "change" && e.content === "feature=on\n");
    const s = await eventually(status, (x) => x.body.onGray === 0 && Object.values(holds(x)).every((h) => h === "formal"));
    expect(s.body).toMatchObject({ onGray: 0, total: 2, betaMd5: null });
  });

  it("abort stops the beta: the gray client reads the formal content again", async () => {
    const started = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray`, { namespace: NS, type: "properties", content: "feature=maybe\n", rule: { kind: "ips", ips: ["127.0.0.2"] } });
    expect(started.status).toBe(201);
    expect(await eventually(() => clientRead("127.0.0.2", dataId), (r) => r.beta)).toMatchObject({ content: "feature=maybe\n" });
    const aborted = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray/abort`, { namespace: NS, grayId: started.body.id });
    expect(aborted.status).toBe(200);
    expect(await nacos.getBetaConfig(key)).toBeNull();
    expect(await eventually(() => clientRead("127.0.0.2", dataId), (r) => !r.beta)).toEqual({ content: "feature=on\n", beta: false });
  });

  it("a passed deadline is aborted once, by the system actor, with two replicas running", async () => {
    const d = `deadline-${run}.yaml`;
    expect((await create(A, "admin", d, "yaml", "x: 1\n")).status).toBe(201);
    const started = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${d}/gray`, { namespace: NS, type: "yaml", content: "x: 2\n", rule: { kind: "ips", ips: ["127.0.0.2"] }, deadlineMinutes: 60 });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(await nacos.getBetaConfig({ ...key, dataId: d })).not.toBeNull();
    // The deadline passes (moved into the past rather than waiting an hour).
    await pg.asAdmin((c) => c.query("UPDATE config_gray_releases SET deadline = now() - interval '1 second' WHERE id = $1", [id]));
    const state = await eventually(
      () => pg.asAdmin((c) => c.query("SELECT state, ended_by FROM config_gray_releases WHERE id = $1", [id])).then((r) => r.rows[0] as { state: string; ended_by: string }),
      (r) => r.state === "expired",
    );
    expect(state).toEqual({ state: "expired", ended_by: "system" });
    await eventually(() => nacos.getBetaConfig({ ...key, dataId: d }), (b) => b === null);
    // Give both replicas several more rounds: still exactly one abort on record.
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await pg.asAdmin((c) => c.query("SELECT phase, outcome, actor_name FROM audit_events WHERE action = 'config.gray.abort' AND detail->>'grayId' = $1 ORDER BY id", [id]));
    expect(rows.rows).toEqual([
      { phase: "intent", outcome: null, actor_name: "system" },
      { phase: "outcome", outcome: "succeeded", actor_name: "system" },
    ]);
    expect(await nacos.getBetaConfig({ ...key, dataId: d })).toBeNull();
  });
});

describe("configs: roles", () => {
  it("a viewer reads but cannot publish: 403, audited denied, nothing written", async () => {
    const dataId = `roles-${run}.yaml`;
    expect((await create(A, "admin", dataId, "yaml", "a: 1\n")).status).toBe(201);
    const viewer = `viewer-${run}`;
    expect((await call(A, viewer, "GET", cfg(ENV, dataId))).status).toBe(200);
    const refused = await call(A, viewer, "PUT", cfg(ENV, dataId), { type: "yaml", content: "a: 2\n", casMd5: md5Hex("a: 1\n") });
    expect(refused.status).toBe(403);
    expect((await auditRows(refused.requestId)).map((r) => [r.phase, r.outcome, r.actor_name])).toEqual([["outcome", "denied", viewer]]);
    expect((await nacos.getConfig({ namespace: NS, group: G, dataId }))!.content).toBe("a: 1\n");
  });

  it("a developer publishes in tier=dev but not in tier=prod (operator needed): 403, audited denied", async () => {
    const developer = `dev-${run}`;
    const devId = `dev-ok-${run}.yaml`;
    expect((await create(A, developer, devId, "yaml", "a: 1\n")).status).toBe(201);
    const refused = await create(A, developer, `dev-prod-${run}.yaml`, "yaml", "a: 1\n", PROD);
    expect(refused.status).toBe(403);
    const rows = await auditRows(refused.requestId);
    expect(rows.map((r) => [r.phase, r.outcome, r.action])).toEqual([["outcome", "denied", "config.create"]]);
    expect(rows[0]!.detail).toMatchObject({ rule: "tier=prod needs operator" });
    expect(await nacos.getConfig({ namespace: NS, group: G, dataId: `dev-prod-${run}.yaml` })).toBeNull();
  });
});

describe("configs: secrets never reach the audit log", () => {
  it("values under secret-looking keys are redacted by format in every audit row", async () => {
    const contents: Array<[string, string, string]> = [
      ["yaml", "db:\n  password: S3CRET-yaml-1\n  user: app\n", "db:\n  password: S3CRET-yaml-2\n  user: app\n"],
      ["json", '{"api": {"token": "S3CRET-json-1"}, "n": 1}', '{"api": {"token": "S3CRET-json-2"}, "n": 2}'],
      ["xml", "<c><password>S3CRET-xml-1</password><n>1</n></c>", "<c><password>S3CRET-xml-2</password><n>2</n></c>"],
      ["properties", "db.password=S3CRET-props-1\nn=1\n", "db.password=S3CRET-props-2\nn=2\n"],
    ];
    for (const [type, v1, v2] of contents) {
      const dataId = `secret-${run}.${type}`;
      expect((await create(A, "admin", dataId, type, v1)).status).toBe(201);
      expect((await call(A, "admin", "PUT", cfg(ENV, dataId), { type, content: v2, casMd5: md5Hex(v1), baseContent: v1 })).status).toBe(200);
      // A conflict carries the contents to the client, not to the audit log.
      expect((await call(A, "admin", "PUT", cfg(ENV, dataId), { type, content: v1, casMd5: md5Hex(v1), baseContent: v1 })).status).toBe(409);
      const gray = await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray`, { namespace: NS, type, content: v1, rule: { kind: "ips", ips: ["127.0.0.9"] } });
      expect(gray.status).toBe(201);
      expect((await call(A, "admin", "POST", `/api/v1/environments/${ENV}/configs/${G}/${dataId}/gray/promote`, { namespace: NS, grayId: gray.body.id, casMd5: md5Hex(v2) })).status).toBe(200);
      expect((await call(A, "admin", "DELETE", `${cfg(ENV, dataId)}&casMd5=${md5Hex(v1)}`)).status).toBe(200);
    }
    const all = await pg.asAdmin((c) => c.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE row_to_json(a)::text LIKE '%S3CRET%')::int AS leaked FROM audit_events a WHERE target_name LIKE $1", [`${G}/secret-${run}.%`]));
    expect(all.rows[0].n).toBeGreaterThan(20);
    expect(all.rows[0].leaked).toBe(0);
  });
});
