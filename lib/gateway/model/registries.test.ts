import { describe, expect, it } from "vitest";
import { mergeRegistries, redactRegistry, registryForZone, registryHost, RegistryConfig, siteBackendHosts } from "@/lib/gateway/model/registries";

describe("McpBridge registries from zones", () => {
  it("a Nacos zone becomes a nacos2 registry on its namespace; no credential is written", () => {
    const r = registryForZone({ zone: "Zone J", environment: "prod-j", registry: { kind: "nacos", url: "http://10.0.0.5:8848/nacos", namespace: "ns-j", username: "nacos" } });
    expect(r).toEqual({ name: "sy-zone-j", type: "nacos2", domain: "10.0.0.5", port: 8848, nacosNamespaceId: "ns-j", nacosGroups: ["DEFAULT_GROUP"] });
    expect(RegistryConfig.safeParse(r).success).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/nacos(Access|Secret)Key/);
  });

  it("a ZooKeeper zone becomes a zookeeper registry on its services path", () => {
    expect(registryForZone({ zone: "k", environment: "prod-k", registry: { kind: "zookeeper", hosts: "zk1:2182,zk2:2181", root: "/reg", layout: "dubbo" } })).toEqual({
      name: "sy-k",
      type: "zookeeper",
      domain: "zk1",
      port: 2182,
      zkServicesPath: ["/reg/dubbo"],
    });
    expect(registryForZone({ zone: "k", environment: "e", registry: { kind: "zookeeper", hosts: "zk", root: "/", layout: "spring-cloud" } })).toMatchObject({ port: 2181, zkServicesPath: ["/services"] });
    expect(registryForZone({ zone: "j", environment: "e", registry: { kind: "nacos", url: "http://n", namespace: "" } }).port).toBe(8848);
  });

  it("merging replaces by name, appends new ones and keeps the others in place", () => {
    const existing = [{ name: "theirs", type: "static", domain: "1.2.3.4:80", port: 80 }, { name: "sy-j", type: "nacos2", domain: "old", port: 1 }];
    const desired = [registryForZone({ zone: "j", environment: "e", registry: { kind: "nacos", url: "http://n:8848", namespace: "" } }), registryForZone({ zone: "k", environment: "e", registry: { kind: "nacos", url: "http://n:8848", namespace: "k" } })];
    const merged = mergeRegistries(existing, desired);
    expect(merged.map((r) => r.name)).toEqual(["theirs", "sy-j", "sy-k"]);
    expect(merged[1]).toMatchObject({ domain: "n", nacosNamespaceId: "public" });
  });

  it("secret fields are never shown", () => {
    expect(redactRegistry({ name: "x", nacosSecretKey: "s3cret", nacosAccessKey: "ak" })).toEqual({ name: "x", nacosSecretKeySet: true, nacosAccessKeySet: true });
  });

  it("registry hosts follow Higress naming; two zones on one host are reported", () => {
    expect(registryHost("nacos", "orders", "DEFAULT_GROUP", "")).toBe("orders.DEFAULT-GROUP.public.nacos");
    const zones = [
      { zone: "j", environment: "a", registry: { kind: "nacos" as const, url: "http://n:8848", namespace: "j" } },
      { zone: "k", environment: "b", registry: { kind: "nacos" as const, url: "http://n:8848", namespace: "k" } },
    ];
    expect(siteBackendHosts(zones, "orders", "DEFAULT_GROUP")).toEqual({ hosts: { j: "orders.DEFAULT-GROUP.j.nacos", k: "orders.DEFAULT-GROUP.k.nacos" } });
    const clash = siteBackendHosts([zones[0]!, { ...zones[1]!, registry: { ...zones[1]!.registry, namespace: "j" } }], "orders", "DEFAULT_GROUP");
    expect(clash.clash).toEqual(["j", "k"]);
  });
});
