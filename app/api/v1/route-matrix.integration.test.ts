/**
 * docs/security.md §1, §13: every /api/v1 route × every role, enumerated from the file system. The
 * suite fails when a route has no policy entry here. Calls go to the real handlers with
 * bearer tokens of real users on a real PostgreSQL; anonymous calls carry the headers that
 * fooled other consoles (Nacos-Server user agent, x-middleware-subrequest, XFF loopback).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db";
import { apiTokens, environments, roleBindings, users } from "@/db/schema";
import { decide, ROLES, type Permission, type Role } from "@/lib/auth/rbac";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";

/** sessionOnly: refused to every bearer token, whatever the role (tokens cannot mint tokens). */
type Policy = { permission: Permission | "self" | "public"; body?: unknown; query?: string; sessionOnly?: boolean };

/** The policy of every route: who may call it. A new route must be added here. */
const POLICY: Record<string, Policy> = {
  "GET /api/v1/me": { permission: "self" },
  "PATCH /api/v1/me/preferences": { permission: "profile.write", body: { locale: "en" } },
  "POST /api/v1/me/password": { permission: "profile.write", body: { currentPassword: "not-it", newPassword: "a-new-password-123" } },
  "GET /api/v1/me/tokens": { permission: "self" },
  "POST /api/v1/me/tokens": { permission: "profile.write", body: { name: "matrix", expiresInDays: 1 }, sessionOnly: true },
  "DELETE /api/v1/me/tokens/[id]": { permission: "profile.write" },
  "GET /api/v1/audit": { permission: "self" },
  "GET /api/v1/audit/activity": { permission: "self" },
  "GET /api/v1/audit/[id]": { permission: "self" },
  "GET /api/v1/audit/export": { permission: "audit.export", query: "format=csv" },
  "GET /api/v1/audit/verify": { permission: "audit.verify" },
  "GET /api/v1/access/bindings": { permission: "access.read" },
  "POST /api/v1/access/bindings": { permission: "access.admin", body: { subjectKind: "group", subject: "cn=x,dc=test", role: "viewer" } },
  "DELETE /api/v1/access/bindings/[id]": { permission: "access.admin" },
  "GET /api/v1/access/users": { permission: "access.read" },
  "POST /api/v1/access/users": { permission: "access.admin", body: { username: "matrix-user", displayName: "M", password: "a-long-password-1" } },
  "PATCH /api/v1/access/users/[id]": { permission: "access.admin", body: { disabled: false } },
  "POST /api/v1/access/users/[id]/password": { permission: "access.admin", body: { password: "a-long-password-2" } },
  "GET /api/v1/access/users/[id]/effective": { permission: "access.read" },
  "GET /api/v1/access/users/[id]/tokens": { permission: "access.read" },
  "DELETE /api/v1/access/users/[id]/tokens/[tokenId]": { permission: "access.admin" },
  "GET /api/v1/environments": { permission: "environment.read" },
  "POST /api/v1/environments": { permission: "environment.admin", body: { name: "matrix-env", labels: { tier: "dev" } } },
  "GET /api/v1/environments/[name]": { permission: "environment.read" },
  "PUT /api/v1/environments/[name]": { permission: "environment.admin", body: { labels: { tier: "dev" }, expectedVersion: 1 } },
  "DELETE /api/v1/environments/[name]": { permission: "environment.admin", query: "expectedVersion=99" },
  "POST /api/v1/environments/[name]/test": { permission: "environment.admin" },
  // matrix-env has no registry: permitted roles get 400 naming the field, never 401/403.
  "GET /api/v1/environments/[name]/services": { permission: "service.read" },
  "PATCH /api/v1/environments/[name]/services/instance": { permission: "service.instance.write", body: { serviceName: "svc", ip: "10.0.0.1", port: 8080, weight: 2 } },
  // Raw znodes: read for operators and up, changes for admins; matrix-env has no ZooKeeper → 400.
  "GET /api/v1/environments/[name]/znodes": { permission: "registry.znode.read", query: "path=/" },
  "PUT /api/v1/environments/[name]/znodes": { permission: "registry.znode.write", body: { path: "/x", data: "a", expectedVersion: 0 } },
  "DELETE /api/v1/environments/[name]/znodes": { permission: "registry.znode.write", query: "path=/x&expectedVersion=0" },
  // No environment carries a site label here: permitted roles get [] or 404 for the random site.
  "GET /api/v1/sites": { permission: "service.read" },
  "GET /api/v1/sites/[site]/services": { permission: "service.read" },
  "POST /api/v1/sites/[site]/disable": { permission: "service.instance.write", body: { serviceName: "svc", ip: "10.0.0.1" } },
  "POST /api/v1/auth/sign-in": { permission: "public" },
  "POST /api/v1/auth/sign-out": { permission: "public" },
  "GET /api/v1/auth/sources": { permission: "public" },
};

const ROOT = path.resolve(__dirname, "../../..");
function routeFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) routeFiles(p, out);
    else if (e.name === "route.ts") out.push(p);
  }
  return out;
}
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const discovered: Array<{ key: string; file: string; method: (typeof METHODS)[number]; urlPath: string }> = [];
for (const file of routeFiles(path.join(ROOT, "app", "api", "v1"))) {
  const src = fs.readFileSync(file, "utf8");
  const urlPath = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/");
  for (const m of METHODS) if (new RegExp(`export\\s+const\\s+${m}\\b`).test(src)) discovered.push({ key: `${m} ${urlPath}`, file, method: m, urlPath });
}

let pg: PostgresFixture;
const tokens = new Map<Role, string>();
let someUserId = "";

beforeAll(async () => {
  pg = await freshPostgres("matrix");
  setProcessDatabase(pg.handle);
  // Visible to every role, so that the permission — not scope — decides.
  await pg.handle.db.insert(environments).values({ id: randomUUID(), name: "matrix-env", labels: { tier: "dev" } });
  // The user that /access/users/[id] routes act on: not one of the callers, whose password
  // reset or disabling would revoke that caller's own token mid-matrix.
  someUserId = randomUUID();
  await pg.handle.db.insert(users).values({ id: someUserId, username: "m-target", displayName: "target", source: "local" });
  for (const role of ROLES) {
    const userId = randomUUID();
    await pg.handle.db.insert(users).values({ id: userId, username: `m-${role}`, displayName: role, source: "local" });
    await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: userId, role, createdBy: "test" });
    const id = randomBytes(9).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    await pg.handle.db.insert(apiTokens).values({ id, userId, name: "matrix", secretHash: createHash("sha256").update(secret).digest("hex"), expiresAt: new Date(Date.now() + 3_600_000) });
    tokens.set(role, `sy_${id}_${secret}`);
  }
});
afterAll(async () => pg?.drop());

async function call(entry: (typeof discovered)[number], headers: Record<string, string>): Promise<Response> {
  const policy = POLICY[entry.key]!;
  const params: Record<string, string> = {};
  const url = entry.urlPath.replace(/\[(\w+)\]/g, (_m, name: string) => {
    params[name] = name === "name" ? "matrix-env" : name === "id" && entry.urlPath.includes("/audit/") ? "1" : name === "id" && entry.urlPath.includes("/tokens/") ? "AAAAAAAAAAAA" : name === "id" && entry.urlPath.includes("/users/") ? someUserId : randomUUID();
    return params[name]!;
  });
  const mod = (await import(entry.file)) as Record<string, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
  const req = new NextRequest(`http://console.test${url}${policy.query ? `?${policy.query}` : ""}`, {
    method: entry.method,
    headers: { host: "console.test", ...(policy.body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: policy.body !== undefined ? JSON.stringify(policy.body) : undefined,
  });
  return mod[entry.method]!(req, { params: Promise.resolve(params) });
}

describe("route × role matrix", () => {
  it("every route found on disk has a policy entry, and every entry a route", () => {
    const keys = discovered.map((d) => d.key).sort();
    expect(keys.filter((k) => !(k in POLICY)), "routes without a policy entry").toEqual([]);
    expect(Object.keys(POLICY).filter((k) => !keys.includes(k)), "policy entries without a route").toEqual([]);
  });

  for (const entry of discovered) {
    const policy = POLICY[entry.key];
    if (!policy || policy.permission === "public") continue;

    it(`${entry.key}: anonymous → 401, even with spoofed headers (SECURITY 1)`, async () => {
      const spoofs: Array<Record<string, string>> = [{}, { "user-agent": "Nacos-Server" }, { "x-middleware-subrequest": "middleware:middleware:middleware" }, { "x-forwarded-for": "127.0.0.1" }, { authorization: "Bearer not-a-token" }, { cookie: "__Host-switchyard.session=forged" }];
      for (const headers of spoofs) {
        const res = await call(entry, { origin: "http://console.test", "sec-fetch-site": "same-origin", ...headers });
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    });

    for (const role of ROLES) {
      const allowed = !policy.sessionOnly && (policy.permission === "self" || decide([{ role, environmentSelector: "*", namespacePattern: "*", via: "user", bindingId: "x" }], policy.permission));
      it(`${entry.key}: ${role} → ${allowed ? "allowed" : "403"}`, async () => {
        const res = await call(entry, { authorization: `Bearer ${tokens.get(role)}` });
        if (allowed) expect([401, 403], `${role} was refused: ${await res.clone().text()}`).not.toContain(res.status);
        else expect(res.status, await res.clone().text()).toBe(403);
      });
    }
  }
});
