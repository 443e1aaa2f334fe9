/**
 * Issue #12: an instance change never loses a concurrent change. Over HTTP against two built
 * console processes (two replicas, `scripts/server.mts`) sharing one PostgreSQL, on the stack's
 * real Nacos; a slow Nacos is the fault proxy holding reads.
 *
 * Nacos applies a partial update about half a second after answering it, and resets whatever
 * the update omits, so the console writes weight and enabled together. Before #12 two changes
 * close together both read the old values and the later write undid the earlier one — while
 * both were answered and audited `succeeded`.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNacosClient, type NacosClient, type NacosServiceInstance } from "@/lib/nacos/client";
import { CONFIRM_WAIT_MS } from "@/lib/registry/instance-change";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const secret = testSecret();
const encryptionKey = testSecret();
const run = randomBytes(3).toString("hex");
const svc = `ichange-${run}`;
const IP = "127.0.0.1";
const PORT = { race: 7101, stale: 7102, slow: 7103 } as const;
const REPEAT = 50;

let pg: PostgresFixture;
let nacos: NacosClient;
let proxy: FaultProxy;
let replicaA: ConsoleServer;
let replicaB: ConsoleServer;
let cookie = "";
const dataDirs: string[] = [];

interface Answer {
  status: number;
  requestId: string;
  body: Record<string, unknown>;
}

async function call(server: ConsoleServer, method: string, route: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { origin: server.url, cookie };
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

const change = (server: ConsoleServer, environment: string, body: Record<string, unknown>) =>
  call(server, "PATCH", `/api/v1/environments/${environment}/services/DEFAULT_GROUP/${svc}/instance`, { ip: IP, ...body });

const instanceKey = (port: number) => ({ serviceName: svc, ip: IP, port });

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 40): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
  return fn();
}

async function outcomeRow(requestId: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT outcome, before, after, detail FROM audit_events WHERE request_id = $1 AND phase = 'outcome'", [requestId]));
  return r.rows[0] as { outcome: string; before: NacosServiceInstance | null; after: NacosServiceInstance | null; detail: Record<string, unknown> } | undefined;
}

function consoleEnv(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-ichange-"));
  dataDirs.push(dir);
  return {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: secret,
    SWITCHYARD_ENCRYPTION_KEY: encryptionKey,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: dir,
  };
}

beforeAll(async () => {
  pg = await freshPostgres("ichange");
  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  const target = new URL(conn.url);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password });
  for (const port of Object.values(PORT)) await nacos.registerInstance({ ...instanceKey(port), weight: 1, ephemeral: false, metadata: { version: "1.0" } });

  replicaA = await startConsole(consoleEnv());
  replicaB = await startConsole(consoleEnv());
  const signIn = await fetch(`${replicaA.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: replicaA.url, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }),
  });
  expect(signIn.status).toBe(200);
  cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  for (const [name, url] of [
    ["ic-prod", conn.url],
    ["ic-slow", `${proxy.url()}${target.pathname}`],
  ] as const) {
    const created = await call(replicaA, "POST", "/api/v1/environments", {
      name,
      labels: { tier: "prod" },
      registry: { kind: "nacos", url, username: conn.username, password: conn.password, namespaces: [""] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  for (const port of Object.values(PORT)) {
    expect(await eventually(() => nacos.getInstance(instanceKey(port)), (i) => i !== null)).not.toBeNull();
  }
}, 240_000);

afterAll(async () => {
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  await proxy?.close();
  for (const port of Object.values(PORT)) await nacos?.deregisterInstance({ ...instanceKey(port), ephemeral: false }).catch(() => undefined);
  await pg?.drop();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("instance changes never lose a concurrent change (#12)", () => {
  it(`two replicas change one instance at once — weight on one, enabled on the other — ${REPEAT} times: Nacos holds every change answered succeeded`, async () => {
    const key = instanceKey(PORT.race);
    const log: string[] = [];
    const violations: string[] = [];
    const answers: Array<{ i: number; who: "weight" | "enabled"; status: number; requestId: string; wanted: Partial<NacosServiceInstance> }> = [];
    let current = (await nacos.getInstance(key))!;
    for (let i = 0; i < REPEAT; i++) {
      const weight = current.weight === 2 + (i % 7) ? 10 : 2 + (i % 7);
      const enabled = !current.enabled;
      const [w, e] = await Promise.all([
        change(replicaA, "ic-prod", { port: PORT.race, weight, expected: { weight: current.weight } }),
        change(replicaB, "ic-prod", { port: PORT.race, enabled, expected: { enabled: current.enabled } }),
      ]);
      answers.push({ i, who: "weight", status: w.status, requestId: w.requestId, wanted: { weight } }, { i, who: "enabled", status: e.status, requestId: e.requestId, wanted: { enabled } });
      for (const [who, a] of [["weight", w], ["enabled", e]] as const) {
        if (![200, 202, 409].includes(a.status)) violations.push(`#${i}: the ${who} change answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
      }
      // Every change answered `succeeded` must be what Nacos holds (given it a moment to settle).
      const holds = (x: NacosServiceInstance | null) => x !== null && (w.status !== 200 || x.weight === weight) && (e.status !== 200 || x.enabled === enabled);
      const seen = await eventually(() => nacos.getInstance(key), holds, 20);
      log.push(`#${i}: weight ${current.weight}→${weight} answered ${w.status}, enabled ${current.enabled}→${enabled} answered ${e.status}; Nacos holds weight ${seen?.weight}, enabled ${seen?.enabled}`);
      if (!holds(seen)) violations.push(log.at(-1)!);
      current = seen!;
    }
    // Each answer is audited as what it was: 200 succeeded (with the change read back), 409 conflict, 202 unknown.
    for (const a of answers) {
      const row = await outcomeRow(a.requestId);
      const want = a.status === 200 ? "succeeded" : a.status === 409 ? "conflict" : a.status === 202 ? "unknown" : "failed";
      if (row?.outcome !== want) violations.push(`#${a.i}: the ${a.who} change answered ${a.status} but is audited ${row?.outcome ?? "without an outcome"}`);
      if (a.status === 200 && !(row?.after && Object.entries(a.wanted).every(([k, v]) => row.after![k as keyof NacosServiceInstance] === v))) {
        violations.push(`#${a.i}: the ${a.who} change is audited succeeded with after ${JSON.stringify(row?.after)}`);
      }
    }
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    console.info(`instance race over ${REPEAT} rounds: ${count(200)} succeeded, ${count(409)} conflict, ${count(202)} unknown; ${violations.length} violation(s)`);
    expect(violations, log.join("\n")).toEqual([]);
  }, 600_000);

  it("two replicas set the same instance's weight at once from the same view, 10 times: one is applied, the other is a 409 naming the weight it found", async () => {
    const key = instanceKey(PORT.race);
    let current = (await nacos.getInstance(key))!;
    for (let i = 0; i < 10; i++) {
      const [x, y] = [20 + 2 * i, 21 + 2 * i];
      const [a, b] = await Promise.all([
        change(replicaA, "ic-prod", { port: PORT.race, weight: x, expected: { weight: current.weight } }),
        change(replicaB, "ic-prod", { port: PORT.race, weight: y, expected: { weight: current.weight } }),
      ]);
      const round = `#${i}: ${current.weight}→${x} answered ${a.status}, ${current.weight}→${y} answered ${b.status}`;
      expect([a.status, b.status].sort(), round).toEqual([200, 409]);
      const [won, lost, weight] = a.status === 200 ? [a, b, x] : [b, a, y];
      expect((lost.body.details as { diff: unknown }).diff, round).toEqual([{ field: "weight", expected: current.weight, current: weight }]);
      expect(won.body, round).toMatchObject({ outcome: "succeeded", after: { weight } });
      current = (await nacos.getInstance(key))!;
      expect(current.weight, round).toBe(weight);
      expect((await outcomeRow(lost.requestId))?.outcome).toBe("conflict");
    }
  }, 120_000);

  it("a change whose expectation is stale → 409 with the current values and a diff; nothing written; audited `conflict`", async () => {
    const key = instanceKey(PORT.stale);
    const now = (await nacos.getInstance(key))!;
    expect(now).toMatchObject({ weight: 1, enabled: true, metadata: { version: "1.0" } });

    const stale = await change(replicaB, "ic-prod", { port: PORT.stale, weight: 4, expected: { weight: 3 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "CONFLICT", system: "nacos", environment: "ic-prod" });
    const details = stale.body.details as { current: NacosServiceInstance; diff: unknown[] };
    expect(details.current).toMatchObject({ ip: IP, port: PORT.stale, weight: 1, enabled: true, metadata: { version: "1.0" } });
    expect(details.diff).toEqual([{ field: "weight", expected: 3, current: 1 }]);
    const row = await outcomeRow(stale.requestId);
    expect(row?.outcome).toBe("conflict");
    expect(row?.detail).toMatchObject({ code: "CONFLICT", details: { diff: [{ field: "weight", expected: 3, current: 1 }] } });

    // Metadata: only the edited keys are compared; null = the key was absent.
    const staleMeta = await change(replicaA, "ic-prod", { port: PORT.stale, metadata: { version: "2.0" }, expected: { metadata: { version: "0.9" } } });
    expect(staleMeta.status).toBe(409);
    expect((staleMeta.body.details as { diff: unknown }).diff).toEqual([{ field: "metadata.version", expected: "0.9", current: "1.0" }]);

    // The same instance, edited with what Nacos holds: confirmed, and the refused values never landed.
    const ok = await change(replicaA, "ic-prod", { port: PORT.stale, metadata: { canary: "on" }, expected: { metadata: { canary: null } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ outcome: "succeeded", before: { weight: 1 }, after: { weight: 1, enabled: true, metadata: { version: "1.0", canary: "on" } } });
    const removed = await change(replicaB, "ic-prod", { port: PORT.stale, metadata: { canary: null }, expected: { metadata: { canary: "on" } } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect((removed.body.after as NacosServiceInstance).metadata).toEqual({ version: "1.0" });
    expect(await nacos.getInstance(key)).toMatchObject({ weight: 1, enabled: true, metadata: { version: "1.0" } });

    // The expectation is part of the contract: without it nothing is attempted.
    const bare = await change(replicaA, "ic-prod", { port: PORT.stale, weight: 4 });
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.body.errors)).toContain("expected");
  }, 120_000);

  it("a Nacos that applies slowly (reads held past the wait): the answer says so (202 `unknown`, check) and the audit says `unknown`, not `succeeded`", async () => {
    const key = instanceKey(PORT.slow);
    expect(await nacos.getInstance(key)).toMatchObject({ weight: 1, enabled: true });
    // Once the console has sent its write, every read through the proxy arrives after the console stopped waiting.
    let wrote = false;
    proxy.delayMs = CONFIRM_WAIT_MS + 3_000;
    proxy.delayMatch = (head) => {
      if (head.startsWith("PUT ")) wrote = true;
      return wrote && head.startsWith("GET ");
    };
    proxy.mode = "delay";
    let slow: Answer;
    try {
      slow = await change(replicaA, "ic-slow", { port: PORT.slow, weight: 3, expected: { weight: 1 } });
    } finally {
      proxy.mode = "pass";
    }
    expect(wrote).toBe(true);
    expect(proxy.delayed).toBeGreaterThan(0);
    expect(slow.status, JSON.stringify(slow.body)).toBe(202);
    expect(slow.body).toMatchObject({ outcome: "unknown", before: { weight: 1, enabled: true }, after: null, written: { weight: 3, enabled: true } });
    expect(String(slow.body.message)).toMatch(/did not show it.*Check the instance/);
    const row = await outcomeRow(slow.requestId);
    expect(row?.outcome).toBe("unknown");
    expect(row?.before).toMatchObject({ weight: 1, enabled: true });
    expect(row?.after).toBeNull();
    expect(row?.detail).toMatchObject({ confirmed: false, written: { weight: 3, enabled: true } });
    // The write itself did land: `unknown` was the honest answer, `failed` would have been wrong too.
    expect(await eventually(() => nacos.getInstance(key), (i) => i?.weight === 3)).toMatchObject({ weight: 3, enabled: true });
  }, 120_000);
});
