import { describe, expect, it } from "vitest";
import type { Grant } from "@/lib/auth/rbac";
import { DEVELOPER_PROD_REFUSAL, meshWriteRefusal } from "./write-scope";

const grant = (role: Grant["role"], env = "*", ns = "*"): Grant => ({ role, environmentSelector: env, namespacePattern: ns, via: "user", bindingId: "b" });
const scope = (tier: string, namespace = "shop") => ({ environment: { name: "e", labels: { tier } }, namespace });

describe("mesh write scope (docs/security.md §45)", () => {
  it("a developer never writes in tier=prod, whatever the binding's selector", () => {
    expect(meshWriteRefusal([grant("developer")], scope("prod"))).toBe(DEVELOPER_PROD_REFUSAL);
    expect(meshWriteRefusal([grant("developer", "tier=prod")], scope("prod"))).toBe(DEVELOPER_PROD_REFUSAL);
  });
  it("outside tier=prod, or with an operator grant covering the scope, nothing is refused here", () => {
    expect(meshWriteRefusal([grant("developer")], scope("dev"))).toBeNull();
    expect(meshWriteRefusal([grant("developer"), grant("operator")], scope("prod"))).toBeNull();
  });
  it("an operator grant whose namespace glob misses the Kubernetes namespace does not lift the refusal", () => {
    expect(meshWriteRefusal([grant("developer"), grant("operator", "*", "team-a-*")], scope("prod", "shop"))).toBe(DEVELOPER_PROD_REFUSAL);
    expect(meshWriteRefusal([grant("developer"), grant("operator", "*", "team-a-*")], scope("prod", "team-a-shop"))).toBeNull();
  });
});
