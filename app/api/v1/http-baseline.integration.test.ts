/**
 * The HTTP-level baseline, against the built console served the way operators run it
 * (scripts/server.mts, lib/testing/console-server.ts) on a fresh PostgreSQL, with a request
 * counter in front of the real Nacos:
 *
 * - docs/security.md §2: every spelling of a path (doubled slashes, `.`/`..` and `%2e`
 *   segments, `%2F` inside a segment, a trailing slash, other letter case) gets the canonical
 *   path's decision, is redirected to the canonical path, or matches nothing — exact statuses
 *   for an admin, a viewer bound to tier=prod and an anonymous caller.
 * - §5, §6: a session that was valid and has gone idle or passed its absolute lifetime is
 *   refused (401) on every /api/v1 route, revoked for that reason, and nothing reaches Nacos;
 *   every sign-in gets a new session id and row, even when it presents an existing cookie.
 * - §29: a cross-site write is refused (403 problem+json) and nothing in the database
 *   changes; pages carry a per-request nonce CSP with frame-ancestors 'none', HSTS and nosniff.
 * - §1: anonymous calls carry the headers that fooled other consoles, to no effect.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleBindings, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { startCountingProxy, type CountingProxy } from "@/lib/testing/counting-proxy";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const ROOT = path.resolve(__dirname, "../../..");
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const VIEWER_PASSWORD = `viewer-${randomBytes(9).toString("base64url")}`;
const SECRET = testSecret();
const DATA_DIR = `.stack/http-baseline-${randomUUID().slice(0, 8)}`;
const ENV = "base-env";
const SITE = "base-site";
/** The headers that fooled other consoles into skipping authentication (docs/security.md §1). */
const SPOOFS = { "user-agent": "Nacos-Server", "x-middleware-subrequest": "middleware:middleware:middleware", "x-forwarded-for": "127.0.0.1" };

let pg: PostgresFixture;
let nacosFault: FaultProxy;
/** Requests that reached Nacos (through nacosFault, in "pass" mode). */
let nacos: CountingProxy;
let server: ConsoleServer;
let adminId = "";
let adminCookie = "";
/** A viewer bound to tier=prod: the tier=dev environment does not exist for them. */
let viewerCookie = "";
let viewerBindingId = "";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request sent exactly as spelled: fetch() would resolve `.`, `..` and `%2e` first. */
function raw(pathAndQuery: string, o: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Raw> {
  const u = new URL(server.url);
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  // An explicit length: Node sends a DELETE body without framing otherwise.
  const headers = { ...(body !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}), ...o.headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: pathAndQuery, method: o.method ?? "GET", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function json(r: Raw): Record<string, unknown> | null {
  try {
    return JSON.parse(r.body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Signs in over HTTP; the cookie as a browser would send it back (`name=value`). */
async function signIn(username: string, password: string, cookie?: string): Promise<{ status: number; cookie: string }> {
  const r = await raw("/api/v1/auth/sign-in", { method: "POST", headers: { origin: server.url, ...(cookie ? { cookie } : {}) }, body: { username, password, source: "local" } });
  const set = r.headers["set-cookie"]?.[0] ?? "";
  return { status: r.status, cookie: set.split(";")[0] ?? "" };
}

/** The session id a cookie points at (the cookie is a JWE sealed with the app secret, docs/security.md §4). */
async function sessionIdOf(cookie: string): Promise<string> {
  const token = await decode({ token: cookie.slice(cookie.indexOf("=") + 1), secret: SECRET });
  expect(token?.sid, "cookie carries a session id").toEqual(expect.any(String));
  return String(token!.sid);
}

/**
 * Everything the app role can see in the database, as one digest per table (partitions
 * included), read as the superuser: equal digests mean nothing was written.
 */
async function databaseDigest(): Promise<Record<string, string>> {
  return pg.asAdmin(async (c) => {
    const tables = await c.query<{ name: string }>("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1");
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const r = await c.query<{ n: string; digest: string }>(`SELECT count(*)::text AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM "${name}" t`);
      out[name] = `${r.rows[0]!.n}:${r.rows[0]!.digest}`;
    }
    return out;
  });
}

beforeAll(async () => {
  pg = await freshPostgres("httpbase");
  const nacosUrl = new URL(peerEnv("nacos", "NACOS_URL"));
  nacosFault = await startFaultProxy({ host: nacosUrl.hostname, port: Number(nacosUrl.port) }, "pass");
  nacos = await startCountingProxy({ host: "127.0.0.1", port: nacosFault.port });
  server = await startConsole({
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: SECRET,
    SWITCHYARD_ENCRYPTION_KEY: testSecret(),
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: DATA_DIR,
    // This suite counts every request that reaches Nacos; the overview sampler's own reads would be among them.
    SWITCHYARD_OVERVIEW_SAMPLER: "off",
  });
  const admin = await signIn("admin", ADMIN_PASSWORD);
  expect(admin.status).toBe(200);
  adminCookie = admin.cookie;
  adminId = (await pg.asAdmin((c) => c.query<{ id: string }>("SELECT id FROM users WHERE username = 'admin' AND source = 'local'"))).rows[0]!.id;
  const created = await raw("/api/v1/environments", {
    method: "POST",
    headers: { origin: server.url, cookie: adminCookie },
    body: { name: ENV, labels: { tier: "dev", site: SITE }, registry: { kind: "nacos", url: nacos.url(nacosUrl.pathname), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [""] } },
  });
  expect(created.status, created.body).toBe(201);
  const viewerId = randomUUID();
  await pg.handle.db.insert(users).values({ id: viewerId, username: "prod-viewer", displayName: "Prod Viewer", source: "local", passwordHash: await hashPassword(VIEWER_PASSWORD) });
  viewerBindingId = randomUUID();
  await pg.handle.db.insert(roleBindings).values({ id: viewerBindingId, subjectKind: "user", subject: viewerId, role: "viewer", environmentSelector: "tier=prod", createdBy: "test" });
  const viewer = await signIn("prod-viewer", VIEWER_PASSWORD);
  expect(viewer.status).toBe(200);
  viewerCookie = viewer.cookie;
});
afterAll(async () => {
  await server?.stop();
  await nacos?.close();
  await nacosFault?.close();
  await pg?.drop();
  fs.rmSync(path.join(ROOT, DATA_DIR), { recursive: true, force: true });
});

type Who = "admin" | "viewer" | "anonymous";
const WHO: Who[] = ["admin", "viewer", "anonymous"];
type Statuses = Record<Who, number>;

/** The representative routes, each with its canonical answer per caller. */
interface Representative {
  method: "GET" | "POST";
  /** Canonical path, always /api/v1/<rest>. */
  path: string;
  body?: unknown;
  /** Fresh per call: registry reads are cached briefly, and each allowed read must reach Nacos. */
  query?: () => string;
  canonical: Statuses;
  /** Allowed calls reach Nacos. */
  nacos?: boolean;
}
const REPRESENTATIVES: Representative[] = [
  { method: "GET", path: "/api/v1/me", canonical: { admin: 200, viewer: 200, anonymous: 401 } },
  { method: "GET", path: "/api/v1/access/users", canonical: { admin: 200, viewer: 403, anonymous: 401 } },
  { method: "GET", path: "/api/v1/audit/verify", canonical: { admin: 200, viewer: 403, anonymous: 401 } },
  // Out of the viewer's scope: 404 (docs/security.md §14).
  { method: "GET", path: `/api/v1/environments/${ENV}/services`, query: () => `search=hb-${randomBytes(6).toString("hex")}`, canonical: { admin: 200, viewer: 404, anonymous: 401 }, nacos: true },
  // A write: an existing username, so the admin's answer is 409 and nothing is created.
  { method: "POST", path: "/api/v1/access/users", body: { username: "admin", displayName: "Copy", password: "a-long-password-1" }, canonical: { admin: 409, viewer: 403, anonymous: 401 } },
];

/**
 * How each spelling of /api/v1/<rest> is answered, for every caller alike:
 * "same": the canonical handler's answer; "redirect": 308 to the canonical path (whose answer
 * the test then checks); "none": 404, matches nothing.
 */
type Outcome = "same" | "redirect" | "none";
const SPELLINGS: Array<{ name: string; spell: (rest: string) => string; outcome: Outcome }> = [
  { name: "leading //", spell: (r) => `//api/v1/${r}`, outcome: "redirect" },
  { name: "inner //", spell: (r) => `/api//v1/${r}`, outcome: "redirect" },
  { name: "trailing /", spell: (r) => `/api/v1/${r}/`, outcome: "redirect" },
  { name: "/./", spell: (r) => `/api/./v1/${r}`, outcome: "same" },
  { name: "/./ before the route", spell: (r) => `/api/v1/./${r}`, outcome: "same" },
  { name: "x/../", spell: (r) => `/api/v1/x/../${r}`, outcome: "same" },
  { name: "%2e segment", spell: (r) => `/api/%2e/v1/${r}`, outcome: "same" },
  { name: "leading %2e segment", spell: (r) => `/%2e/api/v1/${r}`, outcome: "same" },
  { name: "%2e%2e segment", spell: (r) => `/api/v1/%2e%2e/v1/${r}`, outcome: "same" },
  { name: "%2E%2E segment", spell: (r) => `/api/v1/%2E%2E/v1/${r}`, outcome: "same" },
  { name: "%2F inside the api segment", spell: (r) => `/api%2Fv1/${r}`, outcome: "none" },
  { name: "%2F inside the v1 segment", spell: (r) => `/api/v1%2F${r}`, outcome: "none" },
  { name: "upper-case API", spell: (r) => `/API/v1/${r}`, outcome: "none" },
  { name: "upper-case route", spell: (r) => `/api/v1/${r.toUpperCase()}`, outcome: "none" },
];

/**
 * %2F inside the route's own last separator: the route name and what follows become one
 * segment. Where a dynamic route matches, its own checks answer (401 first, then validation);
 * never the data.
 */
const ENCODED_LAST_SLASH: Record<string, Statuses> = {
  "GET /api/v1/me": { admin: 404, viewer: 404, anonymous: 404 }, // me%2F
  "GET /api/v1/access/users": { admin: 404, viewer: 404, anonymous: 404 }, // access%2Fusers
  "GET /api/v1/audit/verify": { admin: 404, viewer: 404, anonymous: 404 }, // audit%2Fverify
  // environments/[name] with the name "base-env/services": 401 first, then the name is invalid.
  [`GET /api/v1/environments/${ENV}/services`]: { admin: 400, viewer: 400, anonymous: 401 },
  "POST /api/v1/access/users": { admin: 404, viewer: 404, anonymous: 404 },
};
/** /api/v1/a/b/c → /api/v1/a/b%2Fc */
const spellLast = (rest: string) => (rest.includes("/") ? rest.replace(/\/([^/]*)$/, "%2F$1") : `${rest}%2F`);

function headersOf(who: Who): Record<string, string> {
  if (who === "admin") return { cookie: adminCookie };
  if (who === "viewer") return { cookie: viewerCookie };
  return { ...SPOOFS };
}

describe("one decision whatever the path spelling (SECURITY 2)", () => {
  for (const rep of REPRESENTATIVES) {
    const key = `${rep.method} ${rep.path}`;
    it(`${key}: every spelling answers as the canonical path (admin ${rep.canonical.admin}, tier=prod viewer ${rep.canonical.viewer}, anonymous ${rep.canonical.anonymous}), redirects to it, or matches nothing; never the data`, async () => {
      const rest = rep.path.slice("/api/v1/".length);
      const send = (p: string, who: Who) => {
        const q = rep.query?.();
        return raw(q ? `${p}?${q}` : p, { method: rep.method, body: rep.body, headers: { origin: server.url, ...headersOf(who) } });
      };
      const mismatches: string[] = [];
      const check = async (spelled: string, outcome: Outcome | Statuses) => {
        for (const who of WHO) {
          const mark = nacos.requests;
          const a = await send(spelled, who);
          const expected = typeof outcome === "object" ? outcome[who] : outcome === "same" ? rep.canonical[who] : outcome === "redirect" ? 308 : 404;
          if (a.status !== expected) mismatches.push(`${spelled} as ${who}: ${a.status}, expected ${expected}: ${a.body.slice(0, 200)}`);
          if (outcome === "redirect") {
            const location = String(a.headers.location ?? "").split("?")[0];
            if (location !== rep.path) mismatches.push(`${spelled} as ${who}: redirected to ${location}, not ${rep.path}`);
            else {
              const followed = await send(location, who);
              if (followed.status !== rep.canonical[who]) mismatches.push(`${spelled} as ${who}, followed: ${followed.status}, expected ${rep.canonical[who]}`);
            }
          }
          // Refusals and errors are problem+json; only the admin's allowed answers carry data.
          if (a.status >= 400 && !String(a.headers["content-type"]).includes("application/problem+json") && a.status !== 404) mismatches.push(`${spelled} as ${who}: ${a.status} is not problem+json`);
          if (who !== "admin" && a.status === 200 && rep.canonical[who] !== 200) mismatches.push(`${spelled} as ${who}: 200 with data`);
          const reached = nacos.since(mark);
          const mayReach = rep.nacos && who === "admin" && (outcome === "same" || outcome === "redirect");
          if (!mayReach && reached.length) mismatches.push(`${spelled} as ${who} reached Nacos: ${reached.join(", ")}`);
          if (mayReach && !reached.length) mismatches.push(`${spelled} as admin did not reach Nacos`);
        }
      };
      await check(rep.path, "same");
      for (const s of SPELLINGS) await check(s.spell(rest), s.outcome);
      await check(`/api/v1/${spellLast(rest)}`, ENCODED_LAST_SLASH[key]!);
      expect(mismatches).toEqual([]);
    });
  }
});

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
function routeFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) routeFiles(p, out);
    else if (e.name === "route.ts") out.push(p);
  }
  return out;
}
/** Every /api/v1 route on disk except the public sign-in routes, with its parameters filled in. */
function apiRoutes(): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  for (const file of routeFiles(path.join(ROOT, "app", "api", "v1"))) {
    const src = fs.readFileSync(file, "utf8");
    if (/publicRoute\(/.test(src)) continue;
    const urlPath = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/");
    const filled = urlPath.replace(/\[(\w+)\]/g, (_m, name: string) =>
      name === "name" ? ENV : name === "site" ? SITE : urlPath.includes("/audit/") ? "1" : name === "tokenId" || urlPath.includes("/me/tokens/") ? "AAAAAAAAAAAA" : adminId,
    );
    for (const m of METHODS) if (new RegExp(`export\\s+const\\s+${m}\\b`).test(src)) out.push({ method: m, path: filled });
  }
  return out;
}

describe("sessions (SECURITY 5, 6)", () => {
  it("a session that was valid, then idle past the timeout or past its absolute lifetime, gets 401 on every /api/v1 route, is revoked for that reason, and nothing reaches Nacos", async () => {
    const session = await signIn("admin", ADMIN_PASSWORD);
    expect(session.status).toBe(200);
    const sid = await sessionIdOf(session.cookie);
    // While valid, the same cookie reads the registry.
    const mark = nacos.requests;
    const live = await raw(`/api/v1/environments/${ENV}/services?search=hb-${randomBytes(6).toString("hex")}`, { headers: { cookie: session.cookie } });
    expect(live.status, live.body).toBe(200);
    expect(nacos.requests - mark, "a valid session's read reaches Nacos").toBeGreaterThan(0);

    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const modes = [
      { reason: "idle", set: "last_seen_at = now() - interval '2 hours', expires_at = now() + interval '1 hour'" },
      { reason: "expired", set: "last_seen_at = now(), expires_at = now() - interval '1 minute'" },
    ];
    const wrong: string[] = [];
    const before = nacos.requests;
    for (const route of routes) {
      for (const mode of modes) {
        await pg.asAdmin((c) => c.query(`UPDATE sessions SET revoked_at = NULL, revoked_reason = NULL, ${mode.set} WHERE id = $1`, [sid]));
        const a = await raw(route.path, { method: route.method, headers: { origin: server.url, cookie: session.cookie }, body: route.method === "GET" ? undefined : {} });
        const code = json(a)?.code;
        const row = (await pg.asAdmin((c) => c.query<{ revoked_reason: string | null }>("SELECT revoked_reason FROM sessions WHERE id = $1", [sid]))).rows[0];
        if (a.status !== 401 || code !== "UNAUTHENTICATED" || !String(a.headers["content-type"]).includes("application/problem+json") || row?.revoked_reason !== mode.reason) {
          wrong.push(`${route.method} ${route.path} (${mode.reason}): ${a.status} ${String(code)}, session revoked as ${String(row?.revoked_reason)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(nacos.since(before), "requests that reached Nacos").toEqual([]);
  });

  it("every sign-in gets a new session id and row, even when it presents the previous cookie; signing one out leaves the other", async () => {
    const count = async () => Number((await pg.asAdmin((c) => c.query<{ n: string }>("SELECT count(*) AS n FROM sessions WHERE user_id = $1", [adminId]))).rows[0]!.n);
    const rowsBefore = await count();
    const first = await signIn("admin", ADMIN_PASSWORD);
    // A fixation attempt: the second sign-in presents the first session's cookie.
    const second = await signIn("admin", ADMIN_PASSWORD, first.cookie);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.cookie).not.toBe(first.cookie);
    const [a, b] = [await sessionIdOf(first.cookie), await sessionIdOf(second.cookie)];
    expect(b).not.toBe(a);
    expect(await count()).toBe(rowsBefore + 2);
    const rows = await pg.asAdmin((c) => c.query<{ id: string; user_id: string; revoked_at: Date | null }>("SELECT id, user_id, revoked_at FROM sessions WHERE id = ANY($1) ORDER BY created_at", [[a, b]]));
    expect(rows.rows).toEqual([
      { id: a, user_id: adminId, revoked_at: null },
      { id: b, user_id: adminId, revoked_at: null },
    ]);
    expect((await raw("/api/v1/me", { headers: { cookie: first.cookie } })).status).toBe(200);
    expect((await raw("/api/v1/me", { headers: { cookie: second.cookie } })).status).toBe(200);
    const out = await raw("/api/v1/auth/sign-out", { method: "POST", headers: { origin: server.url, cookie: first.cookie } });
    expect(out.status).toBe(204);
    expect((await raw("/api/v1/me", { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await raw("/api/v1/me", { headers: { cookie: second.cookie } })).status).toBe(200);
  });
});

describe("cross-site requests (SECURITY 29)", () => {
  it("a cross-site write is refused with 403 problem+json, and nothing in the database changes; the same write from the console's own origin succeeds", async () => {
    const newUser = { username: "csrf-made", displayName: "Made cross-site", password: "a-long-password-1" };
    const evil = "https://evil.example";
    const attempts: Array<{ what: string; method: string; path: string; headers: Record<string, string>; body?: unknown }> = [
      { what: "Origin of another site", method: "POST", path: "/api/v1/access/users", headers: { origin: evil }, body: newUser },
      { what: "Sec-Fetch-Site: cross-site", method: "POST", path: "/api/v1/access/users", headers: { origin: server.url, "sec-fetch-site": "cross-site" }, body: newUser },
      { what: "Sec-Fetch-Site: same-site (a sibling host)", method: "POST", path: "/api/v1/access/users", headers: { "sec-fetch-site": "same-site" }, body: newUser },
      { what: "Origin: null (sandboxed frame)", method: "POST", path: "/api/v1/access/users", headers: { origin: "null" }, body: newUser },
      { what: "neither Origin nor Sec-Fetch-Site", method: "POST", path: "/api/v1/access/users", headers: {}, body: newUser },
      { what: "preferences from another site", method: "PATCH", path: "/api/v1/me/preferences", headers: { origin: evil }, body: { locale: "zh-CN" } },
      { what: "removing a role binding from another site", method: "DELETE", path: `/api/v1/access/bindings/${viewerBindingId}`, headers: { origin: evil, "sec-fetch-site": "cross-site" } },
      { what: "signing the admin out from another site", method: "POST", path: "/api/v1/auth/sign-out", headers: { origin: evil } },
    ];
    const before = await databaseDigest();
    const wrong: string[] = [];
    for (const t of attempts) {
      const a = await raw(t.path, { method: t.method, headers: { cookie: adminCookie, ...t.headers }, body: t.body });
      const code = json(a)?.code;
      if (a.status !== 403 || code !== "FORBIDDEN" || !String(a.headers["content-type"]).includes("application/problem+json")) wrong.push(`${t.what}: ${a.status} ${a.body.slice(0, 200)}`);
    }
    // Login CSRF: signing the victim's browser into an account of the attacker's choosing.
    const signInFromElsewhere = await raw("/api/v1/auth/sign-in", { method: "POST", headers: { origin: evil }, body: { username: "admin", password: ADMIN_PASSWORD, source: "local" } });
    if (signInFromElsewhere.status !== 403 || signInFromElsewhere.headers["set-cookie"]) wrong.push(`sign-in from another site: ${signInFromElsewhere.status}, set-cookie ${String(signInFromElsewhere.headers["set-cookie"])}`);
    expect(wrong).toEqual([]);
    expect(await databaseDigest(), "the database after the refused requests").toEqual(before);
    // The admin's session survived the cross-site sign-out.
    expect((await raw("/api/v1/me", { headers: { cookie: adminCookie } })).status).toBe(200);

    // Control: the same write from the console's own origin is accepted and shows in the digest.
    const own = await raw("/api/v1/access/users", { method: "POST", headers: { cookie: adminCookie, origin: server.url }, body: newUser });
    expect(own.status, own.body).toBe(201);
    const after = await databaseDigest();
    expect(after.users).not.toBe(before.users);
    expect(after.audit_events).not.toBe(before.audit_events);
  });
});

describe("page headers (SECURITY 29)", () => {
  function cspOf(r: Raw): Map<string, string[]> {
    const csp = String(r.headers["content-security-policy"] ?? "");
    return new Map(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );
  }

  for (const page of [
    { path: "/login", who: "anonymous" as const },
    { path: "/overview", who: "admin" as const },
  ]) {
    it(`${page.path} (${page.who}): a fresh CSP nonce per request on every script, frame-ancestors 'none', HSTS and nosniff`, async () => {
      const nonces: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await raw(page.path, { headers: page.who === "admin" ? { cookie: adminCookie } : {} });
        expect(r.status, r.body.slice(0, 300)).toBe(200);
        const csp = cspOf(r);
        const scriptSrc = csp.get("script-src") ?? [];
        const nonce = scriptSrc.map((v) => /^'nonce-([A-Za-z0-9+/=_-]{16,})'$/.exec(v)?.[1]).find(Boolean);
        expect(nonce, `script-src ${scriptSrc.join(" ")}`).toBeDefined();
        expect(scriptSrc).not.toContain("'unsafe-inline'");
        expect(scriptSrc).not.toContain("'unsafe-eval'");
        expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
        expect(csp.get("object-src")).toEqual(["'none'"]);
        expect(csp.get("base-uri")).toEqual(["'self'"]);
        // Next.js put this request's nonce on every script it rendered.
        const scripts = r.body.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length).toBeGreaterThan(0);
        expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`)), "scripts without this request's nonce").toEqual([]);
        const hsts = String(r.headers["strict-transport-security"] ?? "");
        expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0), `Strict-Transport-Security: ${hsts}`).toBeGreaterThanOrEqual(31_536_000);
        expect(r.headers["x-content-type-options"]).toBe("nosniff");
        expect(r.headers["x-frame-options"]).toBe("DENY");
        nonces.push(nonce!);
      }
      expect(new Set(nonces).size, `nonces ${nonces.join(", ")}`).toBe(2);
    });
  }
});
