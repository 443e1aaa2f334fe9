import { describe, expect, it } from "vitest";
import { RouteInput, routeFromObject, routeToObject, type RouteModel } from "@/lib/gateway/model/route-model";

const full: RouteModel = {
  name: "shop",
  namespace: "web",
  parents: [{ name: "edge", namespace: "gw", sectionName: "https" }],
  hostnames: ["shop.example.com", "*.shop.example.com"],
  rules: [
    {
      name: "canary-by-header",
      matches: [
        { path: { type: "PathPrefix", value: "/api" }, headers: [{ type: "Exact", name: "x-canary", value: "1" }], queryParams: [{ type: "RegularExpression", name: "v", value: "^2" }], method: "GET" },
        { path: { type: "Exact", value: "/health" }, headers: [], queryParams: [] },
        { path: { type: "RegularExpression", value: "^/v[0-9]+/" }, headers: [], queryParams: [] },
      ],
      filters: [
        { type: "RequestHeaderModifier", set: [{ name: "x-env", value: "prod" }], add: [{ name: "x-a", value: "b" }], remove: ["x-debug"] },
        { type: "ResponseHeaderModifier", set: [], add: [{ name: "x-served-by", value: "gw" }], remove: [] },
        { type: "URLRewrite", hostname: "internal.shop", path: { type: "ReplacePrefixMatch", value: "/" } },
        { type: "Other", raw: { type: "RequestMirror", requestMirror: { backendRef: { name: "mirror", port: 80 } } } },
      ],
      backends: [
        { group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 90 },
        { group: "networking.istio.io", kind: "Hostname", name: "shop.DEFAULT-GROUP.zone-j.nacos", port: 8080, weight: 10 },
      ],
      timeouts: { request: "10s", backendRequest: "2s" },
      extra: { retry: { attempts: 2 } },
    },
    {
      matches: [{ path: { type: "PathPrefix", value: "/old" }, headers: [], queryParams: [] }],
      filters: [{ type: "RequestRedirect", scheme: "https", hostname: "new.example.com", path: { type: "ReplaceFullPath", value: "/new" }, port: 443, statusCode: 301 }],
      backends: [],
    },
  ],
  annotations: { a: "b" },
};

describe("HTTPRoute editor model", () => {
  it("model → object → model is the identity, for every match, filter and backend kind", () => {
    expect(routeFromObject(routeToObject(full))).toEqual(full);
  });

  it("object → model → object is the identity on what the model writes", () => {
    const obj = routeToObject(full);
    expect(routeToObject(routeFromObject(obj))).toEqual(obj);
  });

  it("spells out the CRD defaults so the stored object reopens unchanged", () => {
    const obj = routeToObject(full);
    const spec = obj.spec as { parentRefs: Array<Record<string, unknown>>; rules: Array<{ backendRefs?: Array<Record<string, unknown>> }> };
    expect(spec.parentRefs[0]).toMatchObject({ group: "gateway.networking.k8s.io", kind: "Gateway" });
    expect(spec.rules[0]!.backendRefs![0]).toMatchObject({ group: "", kind: "Service", weight: 90 });
  });

  it("reads a hand-written route with omitted defaults: weight 1, kind Service, match type Exact", () => {
    const m = routeFromObject({
      metadata: { name: "r", namespace: "n" },
      spec: { parentRefs: [{ name: "g" }], rules: [{ matches: [{ headers: [{ name: "h", value: "v" }] }], backendRefs: [{ name: "svc", port: 80 }] }] },
    });
    expect(m.rules[0]!.backends[0]).toEqual({ group: "", kind: "Service", name: "svc", port: 80, weight: 1 });
    expect(m.rules[0]!.matches[0]!.headers[0]).toEqual({ type: "Exact", name: "h", value: "v" });
  });

  it("the form schema accepts the full model and names bad fields", () => {
    expect(RouteInput.safeParse(full).success).toBe(true);
    const bad = RouteInput.safeParse({ ...full, hostnames: ["Shop.Example.com"], rules: [{ ...full.rules[0]!, backends: [{ group: "", kind: "Service", name: "x", weight: -5 }] }] });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("hostnames.0");
    expect(paths).toContain("rules.0.backends.0.weight");
    const noSlash = RouteInput.safeParse({ ...full, rules: [{ ...full.rules[1]!, matches: [{ path: { type: "PathPrefix", value: "api" }, headers: [], queryParams: [] }] }] });
    expect(noSlash.error!.issues.map((i) => i.path.join("."))).toContain("rules.0.matches.0.path.value");
  });
});
