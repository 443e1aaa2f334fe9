import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decide, effectivePermissions, globMatches, type Grant, intersectSelectors, isValidSelector, narrowGrants, PERMISSIONS, READ_PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role, selectorMatches } from "@/lib/auth/rbac";

const grant = (role: Role, env = "*", ns = "*"): Grant => ({ role, environmentSelector: env, namespacePattern: ns, via: "user", bindingId: "b" });

// The whole matrix, written out once more by hand: a change to ROLE_PERMISSIONS must be a
// deliberate change here too.
const EXPECTED: Record<Role, string[]> = {
  admin: [...PERMISSIONS],
  operator: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read", "service.instance.write", "registry.znode.read", "config.publish", "config.gray", "mesh.policy.write", "gateway.route.write"],
  developer: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read", "service.instance.write", "config.publish", "config.gray", "mesh.policy.write"],
  auditor: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read", "access.read", "audit.read", "audit.export", "audit.verify"],
  viewer: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read"],
};

describe("permission matrix", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = EXPECTED[role].includes(permission);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(decide([grant(role)], permission)).toBe(allowed);
      });
    }
  }

  it("no grants → everything denied", () => {
    for (const p of PERMISSIONS) expect(decide([], p)).toBe(false);
  });

  it("auditors change nothing in the platform (docs/security.md §17)", () => {
    // profile.write is their own language and password, not platform or audit data.
    const writes = PERMISSIONS.filter((p) => /write|publish|gray|admin/.test(p) && p !== "profile.write");
    for (const p of writes) expect(ROLE_PERMISSIONS.auditor).not.toContain(p);
  });

  it("effective permissions are the union of grants", () => {
    const union = effectivePermissions([grant("viewer"), grant("auditor")]);
    expect(union).toEqual(PERMISSIONS.filter((p) => EXPECTED.viewer.includes(p) || EXPECTED.auditor.includes(p)));
  });
});

describe("scope", () => {
  const prod = { name: "prod-hz-j", labels: { tier: "prod", site: "hz" } };
  const dev = { name: "dev-1", labels: { tier: "dev" } };

  it("a tier=dev developer may publish in dev, not in prod", () => {
    const g = [grant("developer", "tier=dev")];
    expect(decide(g, "config.publish", { environment: dev })).toBe(true);
    expect(decide(g, "config.publish", { environment: prod })).toBe(false);
  });

  it("a namespace glob limits the grant", () => {
    const g = [grant("operator", "*", "team-a-*")];
    expect(decide(g, "mesh.policy.write", { environment: prod, namespace: "team-a-web" })).toBe(true);
    expect(decide(g, "mesh.policy.write", { environment: prod, namespace: "team-b-web" })).toBe(false);
  });

  it("global permissions need an unscoped grant", () => {
    expect(decide([grant("admin", "tier=dev")], "access.admin")).toBe(false);
    expect(decide([grant("admin")], "access.admin")).toBe(true);
    expect(decide([grant("admin", "*", "team-*")], "environment.admin")).toBe(false);
  });

  it("selectors need every term to match; malformed selectors grant nothing", () => {
    expect(selectorMatches("tier=prod,site=hz", prod.labels)).toBe(true);
    expect(selectorMatches("tier=prod,site=sh", prod.labels)).toBe(false);
    expect(selectorMatches("tier", prod.labels)).toBe(false);
    expect(selectorMatches("tier=prod=x", prod.labels)).toBe(false);
    expect(selectorMatches("*", {})).toBe(true);
  });

  it("globs escape regex characters", () => {
    expect(globMatches("a.b", "a.b")).toBe(true);
    expect(globMatches("a.b", "axb")).toBe(false);
    expect(globMatches("team-*", "team-")).toBe(true);
    expect(globMatches("(x)*", "(x)y")).toBe(true);
  });
});

// Issue #8.1: narrowGrants joined a binding's selector and a token's with a comma, and a later
// key overwrote an earlier one, so a developer bound to tier=dev holding a token scoped to
// tier=prod had developer rights in prod. Narrowing must be an intersection.
describe("API token scope narrows, never widens", () => {
  const prod = { name: "prod", labels: { tier: "prod" } };
  const dev = { name: "dev", labels: { tier: "dev" } };

  it("a tier=dev developer's token scoped to tier=prod grants nothing anywhere", () => {
    const owner = [grant("developer", "tier=dev")];
    const token = narrowGrants(owner, { environmentSelector: "tier=prod", namespacePattern: "*", readOnly: false });
    expect(token).toEqual([]);
    for (const p of PERMISSIONS) {
      expect(decide(token, p, { environment: prod })).toBe(false);
      expect(decide(token, p, { environment: dev })).toBe(false);
    }
  });

  it("a selector naming one key twice is invalid, and an invalid token scope grants nothing", () => {
    expect(isValidSelector("tier=dev,tier=prod")).toBe(false);
    expect(isValidSelector("tier=dev, tier=dev")).toBe(false);
    expect(selectorMatches("tier=dev,tier=prod", prod.labels)).toBe(false);
    expect(narrowGrants([grant("admin")], { environmentSelector: "tier=dev,tier=prod", namespacePattern: "*", readOnly: false })).toEqual([]);
  });

  it("intersection keeps both sides' terms", () => {
    expect(intersectSelectors("tier=dev", "site=hz")).toBe("site=hz,tier=dev");
    expect(intersectSelectors("*", "tier=dev")).toBe("tier=dev");
    expect(intersectSelectors("tier=dev", "tier=dev")).toBe("tier=dev");
    expect(intersectSelectors("tier=dev", "tier=prod")).toBeNull();
  });

  // The property: over generated bindings × token scopes × environments × namespaces, every
  // permission a token's narrowed grants allow is allowed by its owner's grants.
  const keys = ["tier", "site", "zone"] as const;
  const values = ["dev", "prod", "hz", ""] as const;
  const selectorTerm = fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...values)).map(([k, v]) => `${k}=${v}`);
  const selectorArb = fc.oneof(
    fc.constant("*"),
    fc.array(selectorTerm, { minLength: 1, maxLength: 4 }).map((t) => t.join(",")), // may repeat a key: malformed on purpose
  );
  const nsArb = fc.constantFrom("*", "team-a-*", "team-*", "team-b-web", "*-web", "team-a-web");
  const grantArb = fc.record({
    role: fc.constantFrom(...ROLES),
    environmentSelector: selectorArb,
    namespacePattern: nsArb,
    via: fc.constant("user"),
    bindingId: fc.constant("b"),
  });
  const labelsArb = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 3 });
  const scopeArb = fc.record({ environmentSelector: selectorArb, namespacePattern: nsArb, readOnly: fc.boolean() });

  it("property: a token's effective permissions are a subset of its owner's on every environment and namespace", () => {
    fc.assert(
      fc.property(
        fc.array(grantArb, { maxLength: 4 }),
        scopeArb,
        labelsArb,
        fc.option(fc.constantFrom("team-a-web", "team-b-web", "team-a-api", "other"), { nil: undefined }),
        (owner, scope, labels, namespace) => {
          const token = narrowGrants(owner, scope);
          const where = { environment: { name: "e", labels }, ...(namespace === undefined ? {} : { namespace }) };
          for (const p of PERMISSIONS) {
            if (decide(token, p, where)) expect(decide(owner, p, where)).toBe(true);
            if (decide(token, p)) expect(decide(owner, p)).toBe(true);
            if (scope.readOnly) expect(decide(token, p, where) && !READ_PERMISSIONS.has(p)).toBe(false);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("property: a token scoped to * keeps exactly its owner's permissions", () => {
    fc.assert(
      fc.property(fc.array(grantArb, { maxLength: 4 }), labelsArb, (owner, labels) => {
        const token = narrowGrants(owner, { environmentSelector: "*", namespacePattern: "*", readOnly: false });
        for (const p of PERMISSIONS) expect(decide(token, p, { environment: { name: "e", labels } })).toBe(decide(owner, p, { environment: { name: "e", labels } }));
      }),
      { numRuns: 500 },
    );
  });
});
