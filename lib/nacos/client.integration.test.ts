/**
 * The Nacos client against the real Nacos 3 server of the test stack (standalone, auth on).
 * Fault paths go through a TCP proxy in front of it; the beta check reads the config the way an
 * application does (v1 client API) from a socket bound to the beta IP.
 */
import http from "node:http";
import util from "node:util";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError, UpstreamError } from "@/lib/errors";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";
import { createNacosClient, md5Hex, type NacosClient, type NacosConnection, type NacosServiceInstance } from "./client";

const ENVIRONMENT = "it-nacos";
const run = randomBytes(4).toString("hex");
const prefix = `it-${run}`;
const GROUP = "SWITCHYARD_IT";
const BETA_IP = "127.0.0.2";

let base: NacosConnection;
let nacos: NacosClient;
const proxies: FaultProxy[] = [];
const createdConfigs: string[] = [];
const createdNamespaces: string[] = [];
const registered: Array<{ serviceName: string; ip: string; port: number; clusterName?: string }> = [];

function client(overrides: Partial<NacosConnection> = {}): NacosClient {
  return createNacosClient({ ...base, ...overrides });
}

async function proxied(mode: FaultProxy["mode"], overrides: Partial<NacosConnection> = {}) {
  const target = new URL(base.baseUrl);
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, mode);
  proxies.push(proxy);
  return { proxy, client: client({ baseUrl: `${proxy.url()}${target.pathname}`, ...overrides }) };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the call to fail");
}

function dataId(name: string): string {
  const id = `${prefix}-${name}`;
  createdConfigs.push(id);
  return id;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A token of our own, for the raw v1 client read and for cleanup; the client never hands out its own. */
async function rawToken(): Promise<string> {
  const res = await fetch(`${base.baseUrl}/v3/auth/user/login`, {
    method: "POST",
    body: new URLSearchParams({ username: base.username ?? "", password: base.password ?? "" }),
  });
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

/** What an application at `localAddress` receives from the client-facing v1 config read. */
function readAsApp(localAddress: string, id: string, token: string): Promise<{ status: number; body: string; md5: string | undefined }> {
  const url = new URL(`${base.baseUrl}/v1/cs/configs`);
  url.searchParams.set("dataId", id);
  url.searchParams.set("group", GROUP);
  url.searchParams.set("tenant", "");
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", localAddress, agent: false, headers: { accessToken: token }, timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, md5: res.headers["content-md5"] as string | undefined }));
    });
    req.on("timeout", () => req.destroy(new Error("v1 read timed out")));
    req.on("error", reject);
    req.end();
  });
}

beforeAll(() => {
  base = {
    environment: ENVIRONMENT,
    baseUrl: peerEnv("nacos", "NACOS_URL"),
    username: peerEnv("nacos", "NACOS_USERNAME"),
    password: peerEnv("nacos", "NACOS_PASSWORD"),
    timeoutMs: 15_000,
  };
  nacos = createNacosClient(base);
});

afterAll(async () => {
  for (const p of proxies) await p.close();
  if (!base) return;
  for (const id of createdConfigs) {
    await nacos.stopBeta({ dataId: id, group: GROUP }).catch(() => undefined);
    await nacos.deleteConfig({ dataId: id, group: GROUP }).catch(() => undefined);
  }
  for (const r of registered) {
    await nacos.deregisterInstance({ ...r, group: GROUP, ephemeral: false }).catch(() => undefined);
  }
  const token = await rawToken();
  // Deregistering leaves an empty service behind; the client has no delete for it, so raw.
  for (const r of registered) {
    const q = new URLSearchParams({ serviceName: r.serviceName, groupName: GROUP, namespaceId: "" });
    await eventually(
      () => fetch(`${base.baseUrl}/v3/admin/ns/service?${q}`, { method: "DELETE", headers: { accessToken: token } }).then((res) => res.ok),
      (ok) => ok,
    ).catch(() => undefined);
  }
  for (const ns of createdNamespaces) {
    await fetch(`${base.baseUrl}/v3/admin/core/namespace?namespaceId=${encodeURIComponent(ns)}`, {
      method: "DELETE",
      headers: { accessToken: token },
    }).catch(() => undefined);
  }
});

describe("configs", () => {
  it("publishes and reads back; the md5 is md5Hex of the UTF-8 content", async () => {
    const id = dataId("plain");
    const content = "greeting=héllo 世界 🚀\nlimit=10\n";
    const md5 = await nacos.publishConfig({ dataId: id, group: GROUP, content, type: "properties" });
    expect(md5).toBe(md5Hex(content));

    const read = await nacos.getConfig({ dataId: id, group: GROUP });
    expect(read).toMatchObject({ dataId: id, group: GROUP, namespace: "public", content, md5, type: "properties" });
    expect(read?.modifiedAt).toBeGreaterThan(0);
  });

  it("returns null for a config that does not exist", async () => {
    expect(await nacos.getConfig({ dataId: `${prefix}-missing`, group: GROUP })).toBeNull();
    expect(await nacos.getBetaConfig({ dataId: `${prefix}-missing`, group: GROUP })).toBeNull();
  });

  it("publishes with casMd5: the loaded md5 wins, a stale one is a CONFLICT and Nacos keeps the first write", async () => {
    const id = dataId("cas");
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "v1" });
    const loaded = await nacos.getConfig({ dataId: id, group: GROUP });
    expect(loaded).not.toBeNull();

    // Two operators loaded v1; the first saves, the second saves over a stale md5.
    const v2md5 = await nacos.publishConfig({ dataId: id, group: GROUP, content: "v2 (first)", casMd5: loaded!.md5 });
    const e = await rejection(nacos.publishConfig({ dataId: id, group: GROUP, content: "v2 (second)", casMd5: loaded!.md5 }));
    expect(e.code).toBe("CONFLICT");
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).system).toBe("nacos");
    expect((e as UpstreamError).environment).toBe(ENVIRONMENT);

    const now = await nacos.getConfig({ dataId: id, group: GROUP });
    expect(now?.content).toBe("v2 (first)");
    expect(now?.md5).toBe(v2md5);
  });

  it("refuses a CAS publish to a config deleted since it was loaded (Nacos alone would re-create it)", async () => {
    const id = dataId("cas-deleted");
    const md5 = await nacos.publishConfig({ dataId: id, group: GROUP, content: "soon gone" });
    await nacos.deleteConfig({ dataId: id, group: GROUP });
    const e = await rejection(nacos.publishConfig({ dataId: id, group: GROUP, content: "revived?", casMd5: md5 }));
    expect(e.code).toBe("CONFLICT");
    expect(await nacos.getConfig({ dataId: id, group: GROUP })).toBeNull();
  });

  it("deletes a config; deleting it again succeeds", async () => {
    const id = dataId("delete");
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "x" });
    await nacos.deleteConfig({ dataId: id, group: GROUP });
    expect(await nacos.getConfig({ dataId: id, group: GROUP })).toBeNull();
    await nacos.deleteConfig({ dataId: id, group: GROUP });
  });

  it("serves a beta only to its IPs, and formal content again after stopping it", async () => {
    const id = dataId("beta");
    const token = await rawToken();
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "formal-1" });
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "beta-1", betaIps: [BETA_IP] });

    const beta = await nacos.getBetaConfig({ dataId: id, group: GROUP });
    expect(beta).toMatchObject({ dataId: id, content: "beta-1", md5: md5Hex("beta-1"), betaIps: [BETA_IP] });
    expect((await nacos.getConfig({ dataId: id, group: GROUP }))?.content).toBe("formal-1");

    // The client-facing read can lag a publish by a few hundred ms.
    const atBeta = await eventually(() => readAsApp(BETA_IP, id, token), (r) => r.body === "beta-1");
    expect(atBeta).toMatchObject({ status: 200, body: "beta-1", md5: md5Hex("beta-1") });
    const atOther = await readAsApp("127.0.0.1", id, token);
    expect(atOther).toMatchObject({ status: 200, body: "formal-1", md5: md5Hex("formal-1") });

    expect(await nacos.stopBeta({ dataId: id, group: GROUP })).toBe(true);
    expect(await nacos.stopBeta({ dataId: id, group: GROUP })).toBe(false);
    expect(await nacos.getBetaConfig({ dataId: id, group: GROUP })).toBeNull();

    const after = await eventually(() => readAsApp(BETA_IP, id, token), (r) => r.body === "formal-1");
    expect(after.body).toBe("formal-1");
    expect((await readAsApp("127.0.0.1", id, token)).body).toBe("formal-1");
  });

  it("lists the history of a config, and a row holds the content before that change", async () => {
    const id = dataId("history");
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "h1" });
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "h2" });
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "h2-beta", betaIps: [BETA_IP] });
    await nacos.stopBeta({ dataId: id, group: GROUP });

    const page = await nacos.listHistory({ dataId: id, group: GROUP, pageSize: 20 });
    expect(page.total).toBe(4);
    expect(page.items.map((h) => [h.opType, h.publishType])).toEqual([
      ["D", "gray"],
      ["I", "gray"],
      ["U", "formal"],
      ["I", "formal"],
    ]);
    expect(page.items.every((h) => h.dataId === id && h.group === GROUP && h.sourceUser === base.username)).toBe(true);

    const update = page.items[2]!;
    const row = await nacos.getHistory({ dataId: id, group: GROUP, id: update.id });
    expect(row).toMatchObject({ id: update.id, opType: "U", content: "h1", md5: md5Hex("h1") });

    expect(await nacos.getHistory({ dataId: id, group: GROUP, id: "999999999" })).toBeNull();
    // Another config's history id is not this config's.
    const other = dataId("history-other");
    expect(await nacos.getHistory({ dataId: other, group: GROUP, id: update.id })).toBeNull();
  });

  it("lists configs by exact and by wildcard match", async () => {
    const id = dataId("listed");
    await nacos.publishConfig({ dataId: id, group: GROUP, content: "{}", type: "json" });
    const exact = await nacos.listConfigs({ search: "accurate", dataId: id, group: GROUP });
    expect(exact.items).toEqual([{ dataId: id, group: GROUP, namespace: "public", md5: md5Hex("{}"), type: "json" }]);
    const blur = await nacos.listConfigs({ search: "blur", dataId: `${prefix}-list*`, group: GROUP });
    expect(blur.items.map((c) => c.dataId)).toContain(id);
  });
});

describe("namespaces", () => {
  it("creates a namespace, lists it, and refuses the same id twice", async () => {
    const id = `${prefix}-ns`;
    createdNamespaces.push(id);
    await nacos.createNamespace({ id, name: `IT ${run}`, description: "integration test" });
    const list = await nacos.listNamespaces();
    expect(list).toContainEqual(expect.objectContaining({ id, name: `IT ${run}`, description: "integration test", configCount: 0 }));
    expect(list).toContainEqual(expect.objectContaining({ id: "public" }));

    const e = await rejection(nacos.createNamespace({ id, name: `IT ${run} again` }));
    expect(e.code).toBe("CONFLICT");
  });
});

describe("naming", () => {
  it("registers a persistent instance, lists it, and updates its weight without resetting anything else", async () => {
    const serviceName = `${prefix}-svc`;
    const target = new URL(base.baseUrl);
    // Nacos TCP-checks persistent instances: point it at a port that answers (its own).
    const inst = { serviceName, group: GROUP, ip: "127.0.0.1", port: Number(target.port) };
    registered.push(inst);
    await nacos.registerInstance({ ...inst, ephemeral: false, metadata: { version: "v1" } });

    // clusterCount trails a registration briefly (0 at first), so only the counts that do not.
    const services = await nacos.listServices({ group: GROUP, serviceName });
    expect(services.total).toBe(1);
    expect(services.items).toEqual([expect.objectContaining({ name: serviceName, group: GROUP, instanceCount: 1, healthyInstanceCount: 1 })]);

    const read = () => nacos.listInstances({ serviceName, group: GROUP });
    const one = (list: NacosServiceInstance[]) => list[0];
    expect(await read()).toEqual([
      {
        ip: "127.0.0.1",
        port: inst.port,
        weight: 1,
        healthy: true,
        enabled: true,
        ephemeral: false,
        clusterName: "DEFAULT",
        serviceName,
        group: GROUP,
        metadata: { version: "v1" },
      },
    ]);

    await nacos.updateInstance({ ...inst, weight: 5 });
    const weighted = await eventually(read, (l) => one(l)?.weight === 5);
    expect(one(weighted)).toMatchObject({ weight: 5, enabled: true, metadata: { version: "v1" } });

    // Regression: Nacos' "partial" update resets an omitted weight to 1; the client sends it.
    await nacos.updateInstance({ ...inst, enabled: false });
    const disabled = await eventually(read, (l) => one(l)?.enabled === false);
    expect(one(disabled)).toMatchObject({ weight: 5, enabled: false, metadata: { version: "v1" } });

    await nacos.updateInstance({ ...inst, metadata: { version: "v1", canary: "true" } });
    const tagged = await eventually(read, (l) => one(l)?.metadata.canary === "true");
    expect(one(tagged)).toMatchObject({ weight: 5, enabled: false, metadata: { version: "v1", canary: "true" } });

    await nacos.deregisterInstance({ ...inst, ephemeral: false });
    expect(await eventually(read, (l) => l.length === 0)).toEqual([]);
  });

  // Issue #11.2: Nacos lists one cluster at a time (DEFAULT when none is named), so instances in
  // another cluster were never shown and could not be changed.
  it("lists the instances of every cluster, DEFAULT first", async () => {
    const serviceName = `${prefix}-clusters`;
    const target = new URL(base.baseUrl);
    const a = { serviceName, group: GROUP, ip: "127.0.0.1", port: Number(target.port) };
    const b = { serviceName, group: GROUP, ip: "127.0.0.2", port: Number(target.port), clusterName: "hz-b" };
    registered.push(a, b);
    await nacos.registerInstance({ ...a, ephemeral: false });
    await nacos.registerInstance({ ...b, ephemeral: false });
    expect(
      await eventually(
        () => nacos.listClusters({ serviceName, group: GROUP }),
        (c) => c.length === 2,
      ),
    ).toEqual(["DEFAULT", "hz-b"]);
    const all = await eventually(
      () => nacos.listInstances({ serviceName, group: GROUP }),
      (l) => l.length === 2,
    );
    expect(all.map((i) => `${i.clusterName} ${i.ip}`)).toEqual(["DEFAULT 127.0.0.1", "hz-b 127.0.0.2"]);
    await nacos.deregisterInstance({ ...b, ephemeral: false });
    await nacos.deregisterInstance({ ...a, ephemeral: false });
  });

  // Nacos 3.1 reports floor(total / size) + 1 pages: one too many on an exact multiple.
  it("counts pages itself: two services at one per page are two pages, not three", async () => {
    const target = new URL(base.baseUrl);
    const names = [`${prefix}-pg-a`, `${prefix}-pg-b`];
    for (const serviceName of names) {
      const inst = { serviceName, group: GROUP, ip: "127.0.0.1", port: Number(target.port) };
      registered.push(inst);
      await nacos.registerInstance({ ...inst, ephemeral: false });
    }
    const page = await eventually(
      () => nacos.listServices({ group: GROUP, serviceName: `${prefix}-pg-`, page: 1, pageSize: 1 }),
      (p) => p.total === 2,
    );
    expect(page).toMatchObject({ total: 2, pages: 2 });
  });

  it("answers NOT_FOUND for instances of a service that does not exist, and for updating a missing instance", async () => {
    expect((await rejection(nacos.listInstances({ serviceName: `${prefix}-nosuch`, group: GROUP }))).code).toBe("NOT_FOUND");
    const e = await rejection(nacos.updateInstance({ serviceName: `${prefix}-nosuch`, group: GROUP, ip: "127.0.0.9", port: 9, weight: 2 }));
    expect(e.code).toBe("NOT_FOUND");
  });
});

describe("validation", () => {
  it("refuses a path-like dataId before any request reaches Nacos", async () => {
    const { proxy, client: c } = await proxied("pass");
    const e = await rejection(c.getConfig({ dataId: "../../v1/auth/users", group: GROUP }));
    expect(e.code).toBe("VALIDATION");
    expect(e.fields).toEqual([expect.objectContaining({ field: "dataId" })]);

    const bad = [
      c.publishConfig({ dataId: "ok", group: "a/b", content: "x" }),
      c.listHistory({ dataId: "ok", group: GROUP, namespace: "../public" }),
      c.registerInstance({ serviceName: "svc?x=1", ip: "127.0.0.1", port: 80 }),
      c.publishConfig({ dataId: "ok", group: GROUP, content: "x", casMd5: "abc\r\nX-Evil: 1" }),
      c.publishConfig({ dataId: "ok", group: GROUP, content: "x", betaIps: ["10.0.0.1,10.0.0.2"] }),
    ];
    for (const p of bad) expect((await rejection(p)).code).toBe("VALIDATION");
    expect(proxy.forwarded).toBe(0);
  });
});

describe("failures", () => {
  it("ping reports the server and signs in", async () => {
    const facts = await nacos.ping();
    expect(facts).toMatchObject({ environment: ENVIRONMENT, authEnabled: true, username: base.username });
    expect(facts.version).toMatch(/^3\./);
    expect(facts.namespaces).toBeGreaterThanOrEqual(1);
  });

  it("a wrong password is UPSTREAM_REJECTED and the password appears nowhere", async () => {
    const wrong = `wrong-${run}-Pa55word`;
    const c = client({ password: wrong });
    const e = await rejection(c.listNamespaces());
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(e.userMessage).toContain("refused the console's credentials");
    const everything = `${e.message} ${e.userMessage} ${JSON.stringify(e)} ${util.inspect(e, { depth: 5 })}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(base.password!);
    // Nor does the client itself show its secrets.
    expect(`${JSON.stringify(c)} ${util.inspect(c)}`).not.toContain(wrong);
  });

  it("a token Nacos does not accept is UPSTREAM_REJECTED without the token in the error", async () => {
    const token = "eyJhbGciOiJIUzM4NCJ9.eyJzdWIiOiJuYWNvcyIsImV4cCI6MTcwMDAwMDAwMH0.not-a-signature";
    const e = await rejection(client({ username: undefined, password: undefined, accessToken: token }).listNamespaces());
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(`${e.message} ${e.userMessage}`).not.toContain(token);
  });

  it("a base URL without the context path is UPSTREAM_REJECTED, never an empty answer", async () => {
    const origin = new URL(base.baseUrl).origin;
    const signedIn = await rejection(client({ baseUrl: origin }).getConfig({ dataId: `${prefix}-x`, group: GROUP }));
    expect(signedIn.code).toBe("UPSTREAM_REJECTED");
    expect(signedIn.message).toContain("no such endpoint");
    const anonymous = client({ baseUrl: origin, username: undefined, password: undefined });
    expect((await rejection(anonymous.getConfig({ dataId: `${prefix}-x`, group: GROUP }))).code).toBe("UPSTREAM_REJECTED");
  });

  it("signs in again once when Nacos refuses the token, for reads and writes", async () => {
    const expired = "eyJhbGciOiJIUzM4NCJ9.eyJzdWIiOiJuYWNvcyIsImV4cCI6MTcwMDAwMDAwMH0.expired";
    const reads = client({ accessToken: expired });
    expect((await reads.listNamespaces()).length).toBeGreaterThanOrEqual(1);
    const writes = client({ accessToken: expired });
    const id = dataId("relogin");
    await writes.publishConfig({ dataId: id, group: GROUP, content: "after re-login" });
    expect((await nacos.getConfig({ dataId: id, group: GROUP }))?.content).toBe("after re-login");
    const history = await nacos.listHistory({ dataId: id, group: GROUP });
    expect(history.total).toBe(1);
  });

  it("Nacos down: UPSTREAM_UNAVAILABLE naming nacos and the environment", async () => {
    const { client: c } = await proxied("refuse");
    const e = await rejection(c.getConfig({ dataId: `${prefix}-x`, group: GROUP }));
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).system).toBe("nacos");
    expect((e as UpstreamError).environment).toBe(ENVIRONMENT);
    expect(e.userMessage).toContain("Nacos");
    expect(e.userMessage).toContain(ENVIRONMENT);
  });

  it("Nacos silent: UPSTREAM_TIMEOUT, ended by the configured timeoutMs", async () => {
    const { client: c } = await proxied("blackhole", { timeoutMs: 500 });
    // The client's deadline is an AbortSignal.timeout, which fake clocks cannot reach: watch
    // which deadline each request armed instead — every one is the configured 500 ms.
    const deadlines = vi.spyOn(AbortSignal, "timeout");
    let e: AppError;
    try {
      e = await rejection(c.listNamespaces());
      const armed = deadlines.mock.calls.map(([ms]) => ms);
      expect(armed.length).toBeGreaterThan(0);
      expect(armed).toEqual(armed.map(() => 500));
    } finally {
      deadlines.mockRestore();
    }
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.code).toBe("UPSTREAM_TIMEOUT");
    expect(e.status).toBe(504);
    expect((e as UpstreamError).system).toBe("nacos");
    expect((e as UpstreamError).environment).toBe(ENVIRONMENT);
    // The client's own deadline (timeoutMs) ended the call, not the socket or the test runner.
    expect(e.message).toMatch(/: Nacos at 127\.0\.0\.1:\d+ did not answer within 500 ms$/);
    expect(e.userMessage).toBe(`Nacos in environment ${ENVIRONMENT} did not answer in time.`);
  });
});
