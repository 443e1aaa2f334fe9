import { describe, expect, it } from "vitest";
import { decide, effectivePermissions, globMatches, type Grant, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role, selectorMatches } from "@/lib/auth/rbac";

const grant = (role: Role, env = "*", ns = "*"): Grant => ({ role, environmentSelector: env, namespacePattern: ns, via: "user", bindingId: "b" });

// The whole matrix, written out once more by hand: a change to ROLE_PERMISSIONS must be a
// deliberate change here too.
const EXPECTED: Record<Role, string[]> = {
  admin: [...PERMISSIONS],
  operator: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read", "service.instance.write", "registry.znode.read", "config.publish", "config.gray", "mesh.policy.write", "gateway.route.write"],
  developer: ["profile.write", "environment.read", "service.read", "config.read", "mesh.policy.read", "gateway.route.read", "service.instance.write", "config.publish", "config.gray"],
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

  it("auditors change nothing in the platform (SECURITY.md 17)", () => {
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
