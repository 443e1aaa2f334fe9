import { describe, expect, it } from "vitest";
import { badgeOf, meshReferences, principalProblem, validateMeshObjects, type MeshFacts, type MeshObject, type RegistryInstanceFact } from "./validate";

const NS = "shop";
const o = (kind: MeshObject["kind"], name: string, spec: Record<string, unknown>, namespace = NS): MeshObject => ({ kind, name, namespace, spec });
const inst = (metadata: Record<string, string>, healthy = true, enabled = true): RegistryInstanceFact => ({ healthy, enabled, metadata });
const noFacts: MeshFacts = { registry: null, kubeServices: null };
const facts = (services: Record<string, RegistryInstanceFact[] | null>, kube: string[] | null = null): MeshFacts => ({
  registry: { kind: "nacos", services: new Map(Object.entries(services)) },
  kubeServices: kube ? new Set(kube) : null,
});
const dr = (name = "reviews", subsets = ["v1", "v2"], extra: Record<string, unknown> = {}) =>
  o("DestinationRule", name, { host: "reviews", subsets: subsets.map((s) => ({ name: s, labels: { version: s } })), ...extra });
const vs = (weights: Array<number | undefined>, extra: Record<string, unknown> = {}, name = "reviews") =>
  o("VirtualService", name, {
    hosts: ["reviews"],
    http: [{ route: weights.map((w, i) => ({ destination: { host: "reviews", subset: `v${i + 1}` }, ...(w === undefined ? {} : { weight: w }) })) }],
    ...extra,
  });

function ids(targets: MeshObject[], context: MeshObject[] = targets, f: MeshFacts = facts({ reviews: [inst({ version: "v1" }), inst({ version: "v2" })] })): string[] {
  return validateMeshObjects(targets, context, f).map((i) => i.ruleId);
}

describe("SY-M002 route weights sum to 100", () => {
  it("fails at 90 + 20", () => {
    const v = vs([90, 20]);
    const issues = validateMeshObjects([v], [v, dr()], facts({ reviews: [inst({ version: "v1" }), inst({ version: "v2" })] }));
    expect(issues).toEqual([expect.objectContaining({ ruleId: "SY-M002", severity: "error", path: "spec.http[0].route", message: "route weights add up to 110, not 100" })]);
    expect(issues[0]!.messageZh).toContain("110");
  });
  it("passes at 90 + 10, and a single destination without weight", () => {
    expect(ids([vs([90, 10])], [vs([90, 10]), dr()])).toEqual([]);
    expect(ids([vs([undefined])], [vs([undefined]), dr()])).toEqual([]);
  });
});

describe("SY-M003 subsets are defined by a DestinationRule for the host", () => {
  it("fails when v3 is used but only v1, v2 are defined", () => {
    const v = o("VirtualService", "r", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v3" } }] }] });
    expect(validateMeshObjects([v], [v, dr()], facts({ reviews: [] }))).toEqual([expect.objectContaining({ ruleId: "SY-M003", path: "spec.http[0].route[0].destination.subset" })]);
  });
  it("passes when the DestinationRule names the host by its FQDN", () => {
    const v = vs([50, 50]);
    const full = o("DestinationRule", "reviews", { host: "reviews.shop.svc.cluster.local", subsets: [{ name: "v1" }, { name: "v2" }] });
    expect(ids([v], [v, full])).toEqual([]);
  });
});

describe("SY-M004 duplicate subsets", () => {
  it("fails when v1 is defined twice", () => {
    expect(ids([dr("reviews", ["v1", "v2", "v1"])])).toEqual(["SY-M004"]);
  });
  it("passes with distinct names", () => {
    expect(ids([dr()])).toEqual([]);
  });
});

describe("SY-M005 two VirtualServices claiming one host", () => {
  it("warns on both when they share the mesh gateway", () => {
    const a = vs([100, 0], {}, "a");
    const b = vs([0, 100], {}, "b");
    const issues = validateMeshObjects([a, b], [a, b, dr()], facts({ reviews: [inst({ version: "v1" }), inst({ version: "v2" })] }));
    expect(issues.filter((i) => i.ruleId === "SY-M005").map((i) => [i.object?.name, i.severity])).toEqual([["a", "warning"], ["b", "warning"]]);
  });
  it("passes when one is bound to an ingress gateway only", () => {
    const gw = o("IstioGateway", "edge", { selector: { istio: "ingressgateway" }, servers: [] });
    const a = vs([100, 0], {}, "a");
    const b = vs([0, 100], { gateways: ["edge"] }, "b");
    expect(ids([a, b], [a, b, dr(), gw])).toEqual([]);
  });
});

describe("SY-M006 referenced gateway exists", () => {
  it("fails for a missing gateway of the namespace", () => {
    const v = vs([100, 0], { gateways: ["edge"] });
    expect(ids([v], [v, dr()])).toEqual(["SY-M006"]);
  });
  it("passes when it exists (by name or namespace/name) and for mesh", () => {
    const gw = o("IstioGateway", "edge", { servers: [] });
    const v = vs([100, 0], { gateways: ["edge", `${NS}/edge`, "mesh"] });
    expect(ids([v], [v, dr(), gw])).toEqual([]);
  });
});

describe("SY-M007 / SY-M008 AuthorizationPolicy principal and namespace formats", () => {
  const ap = (source: Record<string, unknown>) => o("AuthorizationPolicy", "authz", { action: "ALLOW", rules: [{ from: [{ source }] }] });
  it("fails for a bare service account and a namespace with capitals", () => {
    expect(ids([ap({ principals: ["sleep"] })])).toEqual(["SY-M007"]);
    expect(ids([ap({ namespaces: ["Foo_Bar"] })])).toEqual(["SY-M008"]);
    expect(principalProblem("*a*")).not.toBeNull();
  });
  it("passes for SPIFFE-style principals, globs and namespace names", () => {
    expect(ids([ap({ principals: ["cluster.local/ns/default/sa/sleep", "*", "cluster.local/ns/default/*"], namespaces: ["default", "team-*", "*"] })])).toEqual([]);
  });
});

describe("SY-M009 port-level mTLS without a workload selector", () => {
  it("fails without a selector", () => {
    expect(ids([o("PeerAuthentication", "pa", { mtls: { mode: "STRICT" }, portLevelMtls: { "8080": { mode: "DISABLE" } } })])).toEqual(["SY-M009"]);
  });
  it("passes with a selector", () => {
    expect(ids([o("PeerAuthentication", "pa", { selector: { matchLabels: { app: "reviews" } }, mtls: { mode: "STRICT" }, portLevelMtls: { "8080": { mode: "DISABLE" } } })])).toEqual([]);
  });
});

describe("SY-M010 STRICT mTLS with a DestinationRule disabling TLS", () => {
  const strict = o("PeerAuthentication", "default", { mtls: { mode: "STRICT" } });
  const disabling = dr("reviews", ["v1"], { trafficPolicy: { tls: { mode: "DISABLE" } } });
  it("fails on the DestinationRule and on the PeerAuthentication", () => {
    expect(ids([disabling], [disabling, strict])).toEqual(["SY-M010"]);
    expect(ids([strict], [disabling, strict])).toEqual(["SY-M010"]);
  });
  it("passes with ISTIO_MUTUAL or PERMISSIVE", () => {
    const mutual = dr("reviews", ["v1"], { trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } });
    expect(ids([mutual], [mutual, strict])).toEqual([]);
    const permissive = o("PeerAuthentication", "default", { mtls: { mode: "PERMISSIVE" } });
    expect(ids([disabling], [disabling, permissive])).toEqual([]);
  });
});

describe("SY-M011 subset labels match registry instance metadata (cross-layer)", () => {
  it("warns when no instance carries version=v2", () => {
    const issues = validateMeshObjects([dr()], [dr()], facts({ reviews: [inst({ version: "v1" })] }));
    expect(issues).toEqual([expect.objectContaining({ ruleId: "SY-M011", severity: "warning", path: "spec.subsets[1].labels" })]);
  });
  it("passes when every subset matches an instance", () => {
    expect(ids([dr()])).toEqual([]);
  });
});

describe("SY-M012 destination host is known (cross-layer)", () => {
  const v = o("VirtualService", "x", { hosts: ["payments"], http: [{ route: [{ destination: { host: "payments" } }] }] });
  it("warns when the host is neither a registry service, a Kubernetes Service nor a ServiceEntry host", () => {
    expect(ids([v], [v], facts({ reviews: [] }, ["shop/reviews"]))).toEqual(["SY-M012"]);
    expect(validateMeshObjects([v], [v], noFacts)[0]?.message).toBe("host payments is not found in ServiceEntry hosts");
  });
  it("passes for a registry service, a Kubernetes Service or a ServiceEntry host", () => {
    expect(ids([v], [v], facts({ payments: null }))).toEqual([]);
    expect(ids([v], [v], facts({}, ["shop/payments"]))).toEqual([]);
    const se = o("ServiceEntry", "ext", { hosts: ["payments"], resolution: "DNS" });
    expect(ids([v], [v, se], facts({}, []))).toEqual([]);
  });
});

describe("SY-M013 a subset whose instances are all unhealthy or disabled (cross-layer)", () => {
  it("warns when v2's only instance is disabled", () => {
    const issues = validateMeshObjects([dr()], [dr()], facts({ reviews: [inst({ version: "v1" }), inst({ version: "v2" }, true, false)] }));
    expect(issues.map((i) => [i.ruleId, i.path])).toEqual([["SY-M013", "spec.subsets[1]"]]);
  });
  it("passes when one instance of the subset is healthy and enabled", () => {
    expect(ids([dr()], [dr()], facts({ reviews: [inst({ version: "v1" }), inst({ version: "v2" }, false), inst({ version: "v2" })] }))).toEqual([]);
  });
});

describe("badges and references", () => {
  it("badge is the worst severity", () => {
    expect(badgeOf([])).toBe("ok");
    expect(badgeOf(validateMeshObjects([dr()], [dr()], facts({ reviews: [inst({ version: "v1" })] })))).toBe("warning");
    expect(badgeOf(validateMeshObjects([vs([1, 1])], [vs([1, 1]), dr()], noFacts))).toBe("error");
  });
  it("VS → DR subsets, VS → Gateway, AuthZ → workloads", () => {
    const refs = meshReferences([vs([50, 50], { gateways: ["edge"] }), dr(), o("AuthorizationPolicy", "authz", { selector: { matchLabels: { app: "reviews" } } })]);
    expect(refs.map((r) => `${r.from.kind}/${r.from.name} → ${r.to.kind}/${r.to.name} (${r.via})`).sort()).toEqual([
      "AuthorizationPolicy/authz → Workload/app=reviews (selector)",
      "VirtualService/reviews → DestinationRule/reviews (subset v1)",
      "VirtualService/reviews → DestinationRule/reviews (subset v2)",
      "VirtualService/reviews → IstioGateway/edge (gateway)",
    ]);
  });
});
