import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  authzFromObjects,
  authzToObjects,
  canaryFromObjects,
  canaryProblems,
  canaryToObjects,
  circuitBreakerFromObjects,
  circuitBreakerToObjects,
  faultFromObjects,
  faultProblems,
  faultToObjects,
  jwtFromObjects,
  jwtToObjects,
  mtlsFromObjects,
  mtlsToObjects,
  resilienceFromObjects,
  resilienceToObjects,
  trafficShiftFromObjects,
  trafficShiftProblems,
  trafficShiftToObjects,
  withoutFault,
  type AuthzModel,
  type CanaryModel,
  type MtlsModel,
  type TrafficShiftModel,
  type WizardObject,
} from "./wizards";

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const host = fc.constantFrom("reviews", "ratings.shop.svc.cluster.local", "pay.example.com");
const value = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);

describe("traffic shifting", () => {
  const model = fc
    .uniqueArray(label, { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.record({
        name: label,
        host,
        subsets: fc.tuple(...names.map((n) => fc.record({ name: fc.constant(n), labels: fc.dictionary(label, value, { minKeys: 1, maxKeys: 2 }), weight: fc.integer({ min: 0, max: 100 }) }))),
      }),
    ) as fc.Arbitrary<TrafficShiftModel>;

  it("property: reopens unchanged (model → objects → model)", () => {
    fc.assert(
      fc.property(model, (m) => {
        const { dr, vs } = trafficShiftToObjects(m);
        expect(trafficShiftFromObjects(dr, vs)).toEqual(m);
      }),
    );
  });

  it("keeps what it does not own: other subsets, the traffic policy, later routes, labels", () => {
    const dr: WizardObject = { kind: "DestinationRule", name: "reviews", apiVersion: "networking.istio.io/v1", metadata: { name: "reviews", labels: { team: "a" } }, spec: { host: "reviews", trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } }, subsets: [{ name: "v3", labels: { version: "v3" } }] } };
    const vs: WizardObject = { kind: "VirtualService", name: "reviews", apiVersion: "networking.istio.io/v1", metadata: { name: "reviews" }, spec: { hosts: ["reviews"], http: [{ timeout: "3s", route: [] }, { route: [{ destination: { host: "reviews", subset: "v3" } }] }] } };
    const out = trafficShiftToObjects({ name: "reviews", host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" }, weight: 90 }, { name: "v2", labels: { version: "v2" }, weight: 10 }] }, { dr, vs });
    expect(out.dr.metadata.labels).toEqual({ team: "a" });
    expect(out.dr.spec.trafficPolicy).toEqual({ tls: { mode: "ISTIO_MUTUAL" } });
    expect((out.dr.spec.subsets as Array<{ name: string }>).map((s) => s.name)).toEqual(["v1", "v2", "v3"]);
    expect((out.vs.spec.http as unknown[])[0]).toMatchObject({ timeout: "3s", route: [{ weight: 90 }, { weight: 10 }] });
    expect((out.vs.spec.http as unknown[]).length).toBe(2);
  });

  it("refuses weights that do not add up to 100, and never coerces", () => {
    expect(trafficShiftProblems({ name: "r", host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" }, weight: 90 }, { name: "v2", labels: { version: "v2" }, weight: 20 }] })).toMatchObject({ weights: "weights add up to 110, not 100" });
    expect(trafficShiftProblems({ name: "r", host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" }, weight: -5 }, { name: "v2", labels: { version: "v2" }, weight: 105 }] })).toMatchObject({ "subsets.0.weight": expect.any(String), "subsets.1.weight": expect.any(String) });
    expect(trafficShiftProblems({ name: "r", host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" }, weight: 50 }, { name: "v2", labels: { version: "v2" }, weight: 50 }] })).toEqual({});
  });
});

describe("header, cookie and URI canary", () => {
  const match = fc.oneof(
    fc.record({ on: fc.constant("header" as const), header: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), mode: fc.constantFrom("exact" as const, "prefix" as const, "regex" as const), value }),
    fc.record({ on: fc.constant("cookie" as const), cookie: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/), value }),
    fc.record({ on: fc.constant("uri" as const), mode: fc.constantFrom("exact" as const, "prefix" as const, "regex" as const), value }),
  );
  const model: fc.Arbitrary<CanaryModel> = fc.record({ name: label, host, match, canarySubset: fc.constant("canary"), stableSubset: fc.constant("stable") });
  it("property: reopens unchanged", () => {
    fc.assert(
      fc.property(model, (m) => {
        expect(canaryFromObjects(canaryToObjects(m).vs)).toEqual(m);
      }),
    );
  });
  it("a cookie match is a regex on the cookie header that matches that cookie only", () => {
    const { vs } = canaryToObjects({ name: "r", host: "reviews", match: { on: "cookie", cookie: "user", value: "beta" }, canarySubset: "v2", stableSubset: "v1" });
    const re = new RegExp(((vs.spec.http as Array<{ match: Array<{ headers: { cookie: { regex: string } } }> }>)[0]!.match[0]!.headers.cookie.regex));
    expect(re.test("a=1; user=beta; b=2")).toBe(true);
    expect(re.test("user=beta")).toBe(true);
    expect(re.test("user=betamax")).toBe(false);
    expect(re.test("xuser=beta")).toBe(false);
  });
  it("refuses the same subset for canary and stable", () => {
    expect(canaryProblems({ name: "r", host: "reviews", match: { on: "uri", mode: "prefix", value: "/v2" }, canarySubset: "v1", stableSubset: "v1" })).toHaveProperty("canarySubset");
  });
});

describe("timeouts and retries, fault injection, circuit breaking", () => {
  it("property: resilience reopens unchanged", () => {
    const m = fc.record({
      name: label,
      host,
      timeout: fc.constantFrom("", "5s", "250ms"),
      attempts: fc.integer({ min: 0, max: 20 }),
      perTryTimeout: fc.constantFrom("", "2s"),
      retryOn: fc.uniqueArray(fc.constantFrom("5xx", "reset", "connect-failure"), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(m, (x) => {
        expect(resilienceFromObjects(resilienceToObjects(x).vs)).toEqual(x);
      }),
    );
  });
  it("property: fault reopens unchanged, and removing it leaves the routes as they were", () => {
    const m = fc.record({
      name: label,
      host,
      delay: fc.option(fc.record({ percent: fc.integer({ min: 0, max: 100 }), fixedDelay: fc.constantFrom("1s", "500ms") }), { nil: null }),
      abort: fc.option(fc.record({ percent: fc.integer({ min: 0, max: 100 }), httpStatus: fc.integer({ min: 200, max: 599 }) }), { nil: null }),
      deadlineSeconds: fc.option(fc.integer({ min: 5, max: 3600 }), { nil: null }),
    });
    fc.assert(
      fc.property(m, (x) => {
        const { vs } = faultToObjects(x);
        expect(faultFromObjects(vs, x.deadlineSeconds)).toEqual(x);
        const clean = withoutFault(vs);
        expect(JSON.stringify(clean.spec)).not.toContain("fault");
      }),
    );
    expect(faultProblems({ name: "r", host: "reviews", delay: null, abort: null, deadlineSeconds: 3 })).toMatchObject({ fault: expect.any(String), deadlineSeconds: expect.any(String) });
  });
  it("circuit breaking reopens unchanged and keeps the TLS setting", () => {
    const m = { name: "r", host: "reviews", maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 };
    const existing: WizardObject = { kind: "DestinationRule", name: "r", apiVersion: "networking.istio.io/v1", metadata: { name: "r" }, spec: { host: "reviews", trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } } };
    const { dr } = circuitBreakerToObjects(m, existing);
    expect(circuitBreakerFromObjects(dr)).toEqual(m);
    expect((dr.spec.trafficPolicy as { tls: unknown }).tls).toEqual({ mode: "ISTIO_MUTUAL" });
  });
});

describe("security wizards", () => {
  it("mTLS per namespace and per workload reopens unchanged", () => {
    const models: MtlsModel[] = [{ name: "default", selector: {}, mode: "STRICT" }, { name: "reviews", selector: { app: "reviews" }, mode: "PERMISSIVE" }];
    for (const m of models) {
      expect(mtlsFromObjects(mtlsToObjects(m).pa)).toEqual(m);
    }
  });
  it("JWT: RequestAuthentication + an AuthorizationPolicy requiring a principal of that issuer", () => {
    const m = { name: "jwt", selector: { app: "api" }, issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks.json", audiences: ["api"] };
    const { ra, ap } = jwtToObjects(m);
    expect(ap.spec).toEqual({ selector: { matchLabels: { app: "api" } }, action: "ALLOW", rules: [{ from: [{ source: { requestPrincipals: ["https://idp.example.com/*"] } }] }] });
    expect(jwtFromObjects(ra, ap)).toEqual(m);
  });
  it("property: allow/deny reopens unchanged", () => {
    const rule = fc.record({
      namespaces: fc.uniqueArray(label, { maxLength: 2 }),
      principals: fc.uniqueArray(label.map((s) => `cluster.local/ns/${s}/sa/${s}`), { maxLength: 2 }),
      methods: fc.uniqueArray(fc.constantFrom("GET", "POST", "DELETE"), { maxLength: 2 }),
      paths: fc.uniqueArray(fc.constantFrom("/api/*", "/admin"), { maxLength: 2 }),
    });
    const m: fc.Arbitrary<AuthzModel> = fc.record({ name: label, selector: fc.dictionary(label, value, { maxKeys: 1 }), action: fc.constantFrom("ALLOW" as const, "DENY" as const), rules: fc.array(rule, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(m, (x) => {
        expect(authzFromObjects(authzToObjects(x).ap)).toEqual(x);
      }),
    );
  });
  it("an AuthorizationPolicy the wizard cannot show does not open in it", () => {
    const ap: WizardObject = { kind: "AuthorizationPolicy", name: "x", apiVersion: "security.istio.io/v1", metadata: { name: "x" }, spec: { action: "CUSTOM", provider: { name: "ext" } } };
    expect(authzFromObjects(ap)).toBeNull();
  });
});
