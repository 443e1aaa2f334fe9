/**
 * The guard over the one write path: every operation in lib/ declares a known permission and
 * audit action, and every state-changing route handler reaches lib/ops rather than a
 * provider or the database.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { PERMISSIONS } from "@/lib/auth/rbac";
import { registeredOperations } from "@/lib/ops/registry";

const ROOT = path.resolve(__dirname, "../..");

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const libFiles = walk(path.join(ROOT, "lib")).filter((f) => !f.includes(`${path.sep}testing${path.sep}`));
const operationFiles = libFiles.filter((f) => /\bdefineOperation\(\{/.test(fs.readFileSync(f, "utf8")) && !f.endsWith("define-operation.ts"));
const routeFiles = walk(path.join(ROOT, "app")).filter((f) => f.endsWith("route.ts"));

describe("registered operations", () => {
  it("every operation module registers, with a known permission and audit action", async () => {
    for (const f of operationFiles) await import(f);
    const ops = registeredOperations();
    const declared = operationFiles.reduce((n, f) => n + (fs.readFileSync(f, "utf8").match(/\bdefineOperation\(\{/g)?.length ?? 0), 0);
    expect(ops.length).toBe(declared);
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      expect(PERMISSIONS, op.action).toContain(op.permission);
      expect(AUDIT_ACTIONS, op.action).toContain(op.action);
    }
  });
});

describe("route handlers", () => {
  const unsafe = /export\s+(const|async function|function)\s+(POST|PUT|PATCH|DELETE)\b/;

  it("each opens with a '// VERB /path – what' line", () => {
    for (const f of routeFiles) {
      expect(fs.readFileSync(f, "utf8").split("\n")[0], path.relative(ROOT, f)).toMatch(/^\/\/ [A-Z|]+ \/api\/\S* – .+/);
    }
  });

  // POSTs that change nothing, each with the reason it is not a GET.
  const NON_MUTATING_POSTS: Record<string, string> = {
    "app/api/v1/environments/[name]/test/route.ts": "connects to the backends to test them; POST so a cross-site link cannot trigger it",
    "app/api/v1/environments/[name]/mesh/validate/route.ts": "validates YAML or objects sent in the body (too large for a query string); stores nothing",
    "app/api/v1/environments/[name]/mesh/preview/route.ts": "a server-side dry run of the object in the body; stores nothing",
  };

  it("state-changing handlers go through an operation, never a client or the database", () => {
    const opModules = operationFiles.map((f) => "@/" + path.relative(ROOT, f).replace(/\.tsx?$/, "").split(path.sep).join("/"));
    for (const f of routeFiles) {
      const src = fs.readFileSync(f, "utf8");
      const rel = path.relative(ROOT, f);
      expect(src, rel).not.toMatch(/from "@\/db/);
      expect(src, rel).not.toMatch(/from "@\/lib\/[\w/-]*client"/);
      if (!unsafe.test(src) || rel.includes("/api/v1/auth/") || rel.split(path.sep).join("/") in NON_MUTATING_POSTS) continue;
      expect(
        opModules.some((m) => src.includes(`from "${m}"`)),
        `${rel} changes state but imports no lib operation module`,
      ).toBe(true);
      expect(src, rel).toMatch(/\.execute\(/);
    }
  });

  it("every handler is wrapped by apiRoute (session, origin, problem+json); sign-in routes by publicRoute", () => {
    const open = ["app/api/health/route.ts", "app/api/ready/route.ts"];
    const publicRoutes = ["app/api/v1/auth/sign-in/route.ts", "app/api/v1/auth/sign-out/route.ts", "app/api/v1/auth/sources/route.ts"];
    for (const f of routeFiles) {
      const rel = path.relative(ROOT, f).split(path.sep).join("/");
      if (open.includes(rel)) continue;
      const src = fs.readFileSync(f, "utf8");
      const wrapper = publicRoutes.includes(rel) ? "publicRoute" : "apiRoute";
      const handlers = src.match(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=/g) ?? [];
      const wrapped = src.match(new RegExp(`export\\s+const\\s+(GET|POST|PUT|PATCH|DELETE)\\s*=\\s*${wrapper}(<[^>]*>)?\\(`, "g")) ?? [];
      expect(handlers.length, rel).toBeGreaterThan(0);
      expect(wrapped.length, rel).toBe(handlers.length);
      expect(src, rel).not.toMatch(/export\s+(async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)/);
    }
  });
});
