import { describe, expect, it } from "vitest";
import { encodeDubboZnodeName, parseDubboUrl, parseDubboZnodeName, parseSpringCloudInstance } from "@/lib/zookeeper/dubbo";

const PROVIDER =
  "dubbo://10.0.0.5:20880/com.acme.DemoService?anyhost=true&application=demo-provider&methods=sayHello,sayBye" +
  "&version=1.0.0&group=g1&weight=50&disabled=false&timestamp=1700000000000&side=provider&interface=com.acme.DemoService";

describe("parseDubboZnodeName", () => {
  it("parses the URL-encoded provider node name from the brief", () => {
    const name =
      "dubbo%3A%2F%2F10.0.0.5%3A20880%2Fcom.acme.DemoService%3Fanyhost%3Dtrue%26application%3Ddemo-provider" +
      "%26methods%3DsayHello%2CsayBye%26version%3D1.0.0%26group%3Dg1%26weight%3D50%26disabled%3Dfalse%26timestamp%3D1700000000000";
    expect(parseDubboZnodeName(name)).toEqual({
      protocol: "dubbo",
      host: "10.0.0.5",
      port: 20880,
      interface: "com.acme.DemoService",
      application: "demo-provider",
      version: "1.0.0",
      group: "g1",
      methods: ["sayHello", "sayBye"],
      weight: 50,
      disabled: false,
      side: null,
      params: {
        anyhost: "true",
        application: "demo-provider",
        methods: "sayHello,sayBye",
        version: "1.0.0",
        group: "g1",
        weight: "50",
        disabled: "false",
        timestamp: "1700000000000",
      },
    });
  });

  it("round-trips through encodeDubboZnodeName", () => {
    const parsed = parseDubboZnodeName(encodeDubboZnodeName(PROVIDER));
    expect(parsed?.side).toBe("provider");
    expect(parsed?.interface).toBe("com.acme.DemoService");
    expect(encodeDubboZnodeName(PROVIDER)).not.toContain("/");
  });

  it("rejects malformed percent-encoding", () => {
    expect(parseDubboZnodeName("dubbo%3A%2F%2F10.0.0.5%ZZ")).toBeNull();
    expect(parseDubboZnodeName("%E0%A4%A")).toBeNull();
  });

  it("rejects empty and non-string names", () => {
    expect(parseDubboZnodeName("")).toBeNull();
    expect(parseDubboZnodeName(undefined as unknown as string)).toBeNull();
    expect(parseDubboZnodeName("x".repeat(70_000))).toBeNull();
  });
});

describe("parseDubboUrl", () => {
  it("applies defaults: weight 100, not disabled, no version/group/application", () => {
    const u = parseDubboUrl("dubbo://10.0.0.9:20880/com.acme.Plain");
    expect(u).toMatchObject({
      weight: 100,
      disabled: false,
      version: null,
      group: null,
      application: null,
      methods: [],
      params: {},
      side: null,
    });
  });

  it("reads disabled=true", () => {
    expect(parseDubboUrl("dubbo://h:1/a.B?disabled=true")?.disabled).toBe(true);
    expect(parseDubboUrl("dubbo://h:1/a.B?disabled=TRUE")?.disabled).toBe(false);
    expect(parseDubboUrl("dubbo://h:1/a.B?disabled=")?.disabled).toBe(false);
  });

  it("falls back to weight 100 on a non-numeric or negative weight", () => {
    expect(parseDubboUrl("dubbo://h:1/a.B?weight=abc")?.weight).toBe(100);
    expect(parseDubboUrl("dubbo://h:1/a.B?weight=-5")?.weight).toBe(100);
    expect(parseDubboUrl("dubbo://h:1/a.B?weight=0")?.weight).toBe(0);
    expect(parseDubboUrl("dubbo://h:1/a.B?weight=1.5")?.weight).toBe(100);
  });

  it("parses a consumer URL without a port", () => {
    const u = parseDubboUrl(
      "consumer://192.168.1.6/org.apache.dubbo.demo.DemoService?application=demo-consumer&category=consumers" +
        "&check=false&interface=org.apache.dubbo.demo.DemoService&methods=sayHello&side=consumer",
    );
    expect(u).toMatchObject({ protocol: "consumer", host: "192.168.1.6", port: null, side: "consumer", application: "demo-consumer" });
    expect(u?.params.category).toBe("consumers");
  });

  it("infers side=consumer from the consumer protocol", () => {
    expect(parseDubboUrl("consumer://10.0.0.1/a.B")?.side).toBe("consumer");
    expect(parseDubboUrl("dubbo://10.0.0.1:1/a.B?side=weird")?.side).toBeNull();
  });

  it("prefers the interface parameter over the path (context paths, tri)", () => {
    const u = parseDubboUrl("tri://10.0.0.1:50051/ctx/com.acme.Other?interface=com.acme.Real");
    expect(u?.interface).toBe("com.acme.Real");
    expect(u?.protocol).toBe("tri");
    expect(parseDubboUrl("rest://10.0.0.1:8080/ctx/com.acme.Rest")?.interface).toBe("com.acme.Rest");
  });

  it("accepts nested classes and hostnames", () => {
    expect(parseDubboUrl("dubbo://svc-a.ns.svc.cluster.local:20880/com.acme.Outer$Inner")?.interface).toBe("com.acme.Outer$Inner");
  });

  it("accepts a bracketed IPv6 host", () => {
    const u = parseDubboUrl("dubbo://[fe80::1]:20880/a.B");
    expect(u).toMatchObject({ host: "[fe80::1]", port: 20880 });
    expect(parseDubboUrl("dubbo://[fe80::1]/a.B")?.port).toBeNull();
  });

  it("drops credentials from the authority", () => {
    const u = parseDubboUrl("dubbo://admin:s3cret@10.0.0.5:20880/a.B");
    expect(u?.host).toBe("10.0.0.5");
    expect(JSON.stringify(u)).not.toContain("s3cret");
  });

  it("lowercases the protocol", () => {
    expect(parseDubboUrl("DUBBO://h:1/a.B")?.protocol).toBe("dubbo");
  });

  it("trims and drops empty method names", () => {
    expect(parseDubboUrl("dubbo://h:1/a.B?methods=a,,b,")?.methods).toEqual(["a", "b"]);
  });

  it("keeps parameters without a value and ignores empty pairs", () => {
    const u = parseDubboUrl("dubbo://h:1/a.B?anyhost&&=x&k=v=w");
    expect(u?.params).toEqual({ anyhost: "", k: "v=w" });
  });

  it("cannot be used for prototype pollution", () => {
    const u = parseDubboUrl("dubbo://h:1/a.B?__proto__=x&constructor=y&toString=z");
    expect(u?.params.__proto__).toBe("x");
    expect(Object.getPrototypeOf(u!.params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // Inherited names are not parameters.
    expect(parseDubboUrl("dubbo://h:1/a.B")?.application).toBeNull();
    expect(parseDubboUrl("dubbo://h:1/a.B?version=")?.version).toBeNull();
  });

  it.each([
    ["no scheme", "10.0.0.5:20880/com.acme.DemoService"],
    ["empty", ""],
    ["scheme only", "dubbo://"],
    ["no interface", "dubbo://10.0.0.5:20880"],
    ["no interface, slash only", "dubbo://10.0.0.5:20880/"],
    ["invalid interface", "dubbo://10.0.0.5:20880/com..acme"],
    ["interface starting with a digit", "dubbo://10.0.0.5:20880/1com.acme"],
    ["invalid interface param", "dubbo://10.0.0.5:20880/a.B?interface=a/b"],
    ["port not numeric", "dubbo://10.0.0.5:abc/a.B"],
    ["port out of range", "dubbo://10.0.0.5:70000/a.B"],
    ["port too long", "dubbo://10.0.0.5:000020880/a.B"],
    ["empty port", "dubbo://10.0.0.5:/a.B"],
    ["two colons", "dubbo://10.0.0.5:1:2/a.B"],
    ["no host", "dubbo://:20880/a.B"],
    ["bad host chars", "dubbo://10.0.0.5;rm:20880/a.B"],
    ["unterminated IPv6", "dubbo://[fe80::1:20880/a.B"],
    ["junk after IPv6", "dubbo://[fe80::1]x:1/a.B"],
    ["bad protocol", "1dubbo://h:1/a.B"],
    ["protocol with underscore", "du_bbo://h:1/a.B"],
    ["whitespace", "dubbo://h:1/a.B?x=1 2"],
    ["control character", "dubbo://h:1/a.B?x=\u0000"],
    ["newline", "dubbo://h:1/a.B\n"],
    ["fragment", "dubbo://h:1/a.B#frag"],
    ["still encoded", "dubbo%3A%2F%2F10.0.0.5%3A20880%2Fa.B"],
  ])("rejects %s", (_name, url) => {
    expect(parseDubboUrl(url)).toBeNull();
  });
});

describe("parseSpringCloudInstance", () => {
  const instance = {
    name: "orders",
    id: "6f1c7c9e-0d7e-4bd1-9b9a-2f1f0e3d3a11",
    address: "10.0.0.7",
    port: 8080,
    sslPort: null,
    payload: {
      "@class": "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance",
      id: "orders-1",
      name: "orders",
      metadata: { instance_status: "UP", zone: "a" },
    },
    registrationTimeUTC: 1700000000000,
    serviceType: "DYNAMIC",
    uriSpec: { parts: [{ value: "scheme", variable: true }, { value: "://", variable: false }] },
  };

  it("parses a Curator ServiceInstance from a Buffer", () => {
    expect(parseSpringCloudInstance(Buffer.from(JSON.stringify(instance)))).toEqual({
      name: "orders",
      id: instance.id,
      address: "10.0.0.7",
      port: 8080,
      sslPort: null,
      metadata: { instance_status: "UP", zone: "a" },
    });
  });

  it("parses from a string and tolerates unknown fields", () => {
    expect(parseSpringCloudInstance(JSON.stringify({ ...instance, extra: [1, 2] }))?.name).toBe("orders");
  });

  it("treats a missing or null payload / metadata as no metadata", () => {
    expect(parseSpringCloudInstance(JSON.stringify({ ...instance, payload: null }))?.metadata).toEqual({});
    expect(parseSpringCloudInstance(JSON.stringify({ ...instance, payload: undefined }))?.metadata).toEqual({});
    expect(parseSpringCloudInstance(JSON.stringify({ ...instance, payload: { "@class": "x", metadata: null } }))?.metadata).toEqual({});
  });

  it("accepts an SSL-only instance", () => {
    const v = parseSpringCloudInstance(JSON.stringify({ ...instance, port: null, sslPort: 8443 }));
    expect(v).toMatchObject({ port: null, sslPort: 8443 });
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["empty buffer", Buffer.alloc(0)],
    ["not JSON", "{name: orders"],
    ["JSON array", "[]"],
    ["JSON string", '"orders"'],
    ["missing name", JSON.stringify({ ...instance, name: undefined })],
    ["empty name", JSON.stringify({ ...instance, name: "" })],
    ["missing id", JSON.stringify({ ...instance, id: undefined })],
    ["missing address", JSON.stringify({ ...instance, address: undefined })],
    ["numeric address", JSON.stringify({ ...instance, address: 10 })],
    ["port as string", JSON.stringify({ ...instance, port: "8080" })],
    ["port out of range", JSON.stringify({ ...instance, port: 70000 })],
    ["fractional port", JSON.stringify({ ...instance, port: 80.5 })],
    ["non-string metadata value", JSON.stringify({ ...instance, payload: { metadata: { a: 1 } } })],
    ["metadata as array", JSON.stringify({ ...instance, payload: { metadata: ["a"] } })],
  ])("rejects %s", (_name, data) => {
    expect(parseSpringCloudInstance(data as Buffer | string | null | undefined)).toBeNull();
  });

  it("never lets a __proto__ metadata key reach a prototype", () => {
    // zod's record parser skips the key altogether; either way nothing is polluted.
    const v = parseSpringCloudInstance(`{"name":"a","id":"b","address":"c","port":1,"payload":{"metadata":{"__proto__":{"polluted":"yes"},"ok":"1"}}}`);
    expect(v?.metadata).toEqual({ ok: "1" });
    expect(Object.getPrototypeOf(v!.metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
