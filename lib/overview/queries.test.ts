import { describe, expect, it } from "vitest";
import { selector, signalQueries, SignalsInput } from "@/lib/overview/queries";

describe("golden-signal PromQL", () => {
  it("filters by service and namespace as the destination reports them", () => {
    expect(selector({ service: "orders", namespace: "shop" })).toBe(`{reporter="destination", destination_service_namespace="shop", destination_service_name="orders"}`);
    const q = signalQueries({ service: "orders" }, "1m", false);
    expect(q.requestRate).toBe(`sum (rate(istio_requests_total{reporter="destination", destination_service_name="orders"}[1m]))`);
    expect(q.errorRatio).toContain(`response_code=~"5.."`);
    expect(q.errorRatio).toContain("or vector(0)");
    expect(q.p99).toBe(`histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_service_name="orders"}[1m])))`);
  });

  it("splits by zone when asked", () => {
    const q = signalQueries({}, "5m", true);
    expect(q.requestRate).toBe(`sum by (zone) (rate(istio_requests_total{reporter="destination"}[5m]))`);
    expect(q.p50).toContain("sum by (le, zone)");
    expect(q.errorRatio).toContain("or 0 * sum by (zone)");
  });

  it("admits only Kubernetes names, so no filter can inject a selector", () => {
    expect(SignalsInput.safeParse({ service: 'x",job=~".+' }).success).toBe(false);
    expect(SignalsInput.safeParse({ namespace: "A" }).success).toBe(false);
    expect(SignalsInput.safeParse({ range: "2h" }).success).toBe(false);
    expect(SignalsInput.parse({})).toEqual({ range: "1h" });
  });
});
