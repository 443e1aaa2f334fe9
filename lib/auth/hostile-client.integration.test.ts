/**
 * Issue #8 items 1–3, tried as a hostile client would, over HTTP against the built console
 * (scripts/server.mts, the way operators run it) on the stack's real PostgreSQL, with a
 * counting proxy in front of the real Nacos.
 *
 * 1. A token scoped tier=prod, minted by a developer bound to tier=dev, got developer rights in
 *    prod (the selectors were joined and the later key won).
 * 2. The per-client throttle and the audit's client address came from the first
 *    X-Forwarded-For entry, which any client sets.
 * 3. Five wrong passwords locked any account — the break-glass admin included — for everyone.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleBindings, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const DEV_PASSWORD = `developer-${randomBytes(9).toString("base64url")}`;

let pg: PostgresFixture;
let nacos: FaultProxy;

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
}

function client(server: ConsoleServer) {
  async function call(path: string, o: { method?: string; body?: unknown; cookie?: string; bearer?: string; xff?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { origin: server.url };
    if (o.body !== undefined) headers["content-type"] = "application/json";
    if (o.cookie) headers.cookie = o.cookie;
    if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
    if (o.xff) headers["x-forwarded-for"] = o.xff;
    const res = await fetch(server.url + path, { method: o.method ?? "GET", headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), redirect: "manual" });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = null;
    }
    return { status: res.status, body, headers: res.headers };
  }
  async function signIn(username: string, password: string, xff?: string): Promise<Answer & { cookie: string }> {
    const a = await call("/api/v1/auth/sign-in", { method: "POST", body: { username, password, source: "local" }, ...(xff ? { xff } : {}) });
    const set = a.headers.get("set-cookie") ?? "";
    return { ...a, cookie: set.split(";")[0] ?? "" };
  }
  return { call, signIn };
}

async function auditRows(where: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  return pg.asAdmin(async (c) => (await c.query(`SELECT actor_name, outcome, client_ip, detail FROM audit_events WHERE ${where} ORDER BY id`, params)).rows);
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: secret,
    SWITCHYARD_ENCRYPTION_KEY: encryptionKey,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: `.stack/hostile-${randomUUID().slice(0, 8)}`,
    ...extra,
  };
}
const secret = testSecret();
const encryptionKey = testSecret();

beforeAll(async () => {
  pg = await freshPostgres("hostile");
  const target = new URL(peerEnv("nacos", "NACOS_URL"));
  nacos = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
});
afterAll(async () => {
  await nacos?.close();
  await pg?.drop();
});

describe("API token scope (#8.1)", () => {
  let server: ConsoleServer;
  beforeAll(async () => {
    server = await startConsole(env());
  });
  afterAll(async () => server?.stop());

  it("a tier=dev developer's token scoped to tier=prod sees no prod environment (404) and nothing reaches Nacos", async () => {
    const http = client(server);
    // The admin registers a prod environment whose Nacos sits behind the counting proxy.
    const admin = await http.signIn("admin", ADMIN_PASSWORD);
    expect(admin.status, JSON.stringify(admin.body)).toBe(200);
    const created = await http.call("/api/v1/environments", {
      method: "POST",
      cookie: admin.cookie,
      body: {
        name: "prod-x",
        labels: { tier: "prod" },
        registry: { kind: "nacos", url: nacos.url(), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [""] },
      },
    });
    expect(created.status).toBe(201);

    const devId = randomUUID();
    await pg.handle.db.insert(users).values({ id: devId, username: "dev-one", displayName: "Dev One", source: "local", passwordHash: await hashPassword(DEV_PASSWORD) });
    await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: devId, role: "developer", environmentSelector: "tier=dev", namespacePattern: "*", createdBy: "test" });
    const dev = await http.signIn("dev-one", DEV_PASSWORD);
    expect(dev.status).toBe(200);

    // A selector naming a key twice is refused at create time, naming the field.
    const dup = await http.call("/api/v1/me/tokens", { method: "POST", cookie: dev.cookie, body: { name: "dup", expiresInDays: 1, environmentSelector: "tier=dev,tier=prod" } });
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.body)).toContain("environmentSelector");

    const minted = await http.call("/api/v1/me/tokens", { method: "POST", cookie: dev.cookie, body: { name: "prod", expiresInDays: 1, environmentSelector: "tier=prod" } });
    expect(minted.status).toBe(201);
    const token = String(minted.body!.token);

    const before = nacos.forwarded;
    expect((await http.call("/api/v1/environments/prod-x", { bearer: token })).status).toBe(404);
    expect((await http.call("/api/v1/environments/prod-x/services", { bearer: token })).status).toBe(404);
    const change = await http.call("/api/v1/environments/prod-x/services/DEFAULT_GROUP/svc/instance", { method: "PATCH", bearer: token, body: { ip: "10.0.0.1", port: 8080, weight: 2, expected: { weight: 1 } } });
    expect(change.status).toBe(404);
    const list = await http.call("/api/v1/environments", { bearer: token });
    // The narrowed token holds no grant at all: it cannot even list environments.
    expect(list.status).toBe(403);
    expect(JSON.stringify(list.body)).not.toContain("prod-x");
    expect(nacos.forwarded - before).toBe(0);
  });
});

describe("client address and throttling (#8.2, #8.3)", () => {
  it("without trusted proxies, X-Forwarded-For is ignored: rotating it does not escape the per-client limit, and audit rows carry the TCP peer", async () => {
    const server = await startConsole(env({ SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP: "4", SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER: "100" }));
    try {
      const http = client(server);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const a = await http.signIn(`spray-${i}`, "Winter2026!", `203.0.113.${i + 1}`);
        statuses.push(a.status);
      }
      // Four failures from 127.0.0.1 (whatever the header said), then the client waits.
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      const rows = await auditRows(`action = 'session.sign_in' AND detail->>'reason' IN ('bad_credentials','throttled')`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.client_ip).toBe("127.0.0.1");
      // The typed usernames are not stored (#8.11): a keyed pseudonym instead.
      expect(JSON.stringify(rows)).not.toContain("spray-");
    } finally {
      await server.stop();
    }
  });

  describe("behind a trusted proxy", () => {
    let server: ConsoleServer;
    beforeAll(async () => {
      server = await startConsole(
        env({ SWITCHYARD_TRUSTED_PROXIES: "127.0.0.1/32", SWITCHYARD_LOGIN_MAX_FAILURES_PER_IP: "50", SWITCHYARD_LOGIN_MAX_FAILURES_PER_USER: "5", SWITCHYARD_LOGIN_BASE_DELAY_SECONDS: "60" }),
      );
    });
    afterAll(async () => server?.stop());

    it("the right-most address not in SWITCHYARD_TRUSTED_PROXIES is the client; a spoofed left entry is not", async () => {
      const http = client(server);
      const a = await http.signIn("nobody-here", "wrong-password-1", "10.9.9.9, 198.51.100.7, 127.0.0.1");
      expect(a.status).toBe(401);
      const rows = await auditRows(`action = 'session.sign_in' AND client_ip = '198.51.100.7'`);
      expect(rows).toHaveLength(1);
      expect(await auditRows(`client_ip = '10.9.9.9'`)).toHaveLength(0);
    });

    it("five wrong passwords from one client make that client wait for admin — not everyone; one audit row for the lock, none per refused attempt", async () => {
      const http = client(server);
      const attacker = "198.51.100.66";
      const operator = "198.51.100.99";
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await http.signIn("admin", `guess-${i}-wrong-pw`, attacker)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const locked = await http.signIn("admin", ADMIN_PASSWORD, attacker);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);

      // The real admin, from another client, signs in at once.
      const real = await http.signIn("admin", ADMIN_PASSWORD, operator);
      expect(real.status).toBe(200);

      const rows = await auditRows(`action = 'session.sign_in' AND client_ip = $1`, [attacker]);
      const reasons = rows.map((r) => (r.detail as { reason?: string }).reason);
      expect(reasons.filter((r) => r === "bad_credentials")).toHaveLength(5);
      expect(reasons.filter((r) => r === "throttled")).toHaveLength(1);
      expect(rows).toHaveLength(6);
      // A known account's failures are recorded against it.
      expect(rows.every((r) => r.actor_name === "admin")).toBe(true);
    });
  });

  it("a flood of new usernames is capped: beyond the hashing queue the answer is 503 at once, never a 500", async () => {
    const server = await startConsole(env({ SWITCHYARD_TRUSTED_PROXIES: "127.0.0.1/32", SWITCHYARD_HASH_CONCURRENCY: "1", SWITCHYARD_HASH_QUEUE: "2" }));
    try {
      const http = client(server);
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => http.signIn(`flood-${i}`, "wrong-password-1", `192.0.2.${i + 1}`)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      const busy = answers.find((a) => a.status === 503)!;
      expect(busy.headers.get("content-type")).toContain("application/problem+json");
      expect(busy.headers.get("retry-after")).toBe("1");
    } finally {
      await server.stop();
    }
  });
});
