import { afterEach, describe, expect, it } from "vitest";
import { validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";
import { isNonPublicAddress } from "@/lib/net/address";

afterEach(() => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
});

/**
 * Issue #8 item 7: `new URL` rewrites `[::ffff:127.0.0.1]` to `[::ffff:7f00:1]`, which the old
 * regex check took for public; so were the IPv4-compatible `::7f00:1` and the NAT64
 * `64:ff9b::a00:1`. Every IPv6 form that embeds an IPv4 address is judged by that address.
 */
describe("isNonPublicAddress: IPv6 forms that embed an IPv4 address (issue #8 item 7)", () => {
  it.each([
    ["::ffff:7f00:1", "IPv4-mapped 127.0.0.1, hex form (what new URL writes)"],
    ["[::ffff:7f00:1]", "the same, bracketed as in URL.hostname"],
    ["[::ffff:127.0.0.1]", "IPv4-mapped 127.0.0.1, bracketed dotted form"],
    ["::FFFF:A9FE:A9FE", "IPv4-mapped 169.254.169.254, upper case"],
    ["0:0:0:0:0:ffff:a00:1", "IPv4-mapped 10.0.0.1, uncompressed"],
    ["::ffff:0:7f00:1", "IPv4-translated (RFC 6145) 127.0.0.1"],
    ["::7f00:1", "IPv4-compatible 127.0.0.1"],
    ["::127.0.0.1", "IPv4-compatible 127.0.0.1, dotted"],
    ["::a9fe:a9fe", "IPv4-compatible 169.254.169.254"],
    ["64:ff9b::a00:1", "NAT64 well-known prefix, 10.0.0.1"],
    ["64:ff9b::7f00:1", "NAT64 well-known prefix, 127.0.0.1"],
    ["64:ff9b::169.254.169.254", "NAT64 well-known prefix, metadata address, dotted"],
    ["64:ff9b:1::808:808", "NAT64 local-use prefix (RFC 8215): local by definition"],
    ["2002:7f00:1::1", "6to4 of 127.0.0.1"],
    ["2002:c0a8:101::", "6to4 of 192.168.1.1"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
  ])("%s is not public (%s)", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(true);
  });

  it.each([
    ["::ffff:8.8.8.8", "IPv4-mapped public"],
    ["::ffff:808:808", "IPv4-mapped public, hex form"],
    ["64:ff9b::808:808", "NAT64 of a public address"],
    ["2002:808:808::1", "6to4 of a public address"],
    ["[2001:4860:4860::8888]", "bracketed global unicast"],
  ])("%s is public (%s)", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(false);
  });

  it.each([
    "255.255.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "192.0.0.8",
    "fec0::1",
    "100::1",
    "2001:db8::1",
    "2001:2::1",
    "ff02::1",
    "4000::1",
    "::",
    "fe80::1%eth0",
  ])("%s (reserved, broadcast, multicast, documentation, benchmarking, unallocated) is not public", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(true);
  });

  it.each(["", "localhost", "nacos.example.com", "1.2.3.4.5", "::ffff:127.0.0.1.1", "[::1", "12345::1", "127.0.0.1:8848"])("%j does not parse and counts as not public", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(true);
  });

  it("refuses the bypass forms in registered URLs and ZooKeeper hosts", async () => {
    for (const url of ["http://[::ffff:127.0.0.1]:8848/nacos", "http://[::7f00:1]:8848/nacos", "https://[64:ff9b::a00:1]:6443", "http://[2002:a9fe:a9fe::]/latest"]) {
      await expect(validateUrl("registry.url", url, ["http:", "https:"]), url).rejects.toMatchObject({ code: "VALIDATION", fields: [{ field: "registry.url" }] });
    }
    for (const hosts of ["[::ffff:7f00:1]:2181", "[::7f00:1]:2181", "[64:ff9b::a00:1]:2181", "zk.example.com:2181,[::a00:1]:2181"]) {
      await expect(validateZookeeperHosts("registry.hosts", hosts), hosts).rejects.toMatchObject({ code: "VALIDATION", fields: [{ field: "registry.hosts" }] });
    }
  });
});

describe("endpoint validation (docs/security.md §30)", () => {
  it.each(["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"])("%s is not public", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(true);
  });
  it.each(["8.8.8.8", "172.32.0.1", "2001:4860:4860::8888"])("%s is public", (ip) => {
    expect(isNonPublicAddress(ip)).toBe(false);
  });

  it("refuses private, loopback and metadata addresses by default, naming the field", async () => {
    for (const url of ["http://127.0.0.1:8848/nacos", "http://169.254.169.254/latest", "https://[::1]:6443", "http://localhost:8848/nacos"]) {
      await expect(validateUrl("registry.url", url, ["http:", "https:"])).rejects.toMatchObject({ code: "VALIDATION", fields: [{ field: "registry.url" }] });
    }
  });

  it("allows them when SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS=true", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    await expect(validateUrl("registry.url", "http://127.0.0.1:8848/nacos/", ["http:", "https:"])).resolves.toBe("http://127.0.0.1:8848/nacos");
    await expect(validateZookeeperHosts("registry.hosts", "127.0.0.1:2181, 127.0.0.2:2181")).resolves.toBe("127.0.0.1:2181,127.0.0.2:2181");
  });

  it("refuses credentials, queries and other schemes", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    await expect(validateUrl("u", "http://nacos:pw@127.0.0.1:8848", ["http:"])).rejects.toMatchObject({ fields: [{ message: expect.stringContaining("credentials") }] });
    await expect(validateUrl("u", "http://127.0.0.1/x?redirect=y", ["http:"])).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(validateUrl("u", "file:///etc/passwd", ["http:", "https:"])).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(validateUrl("k8s", "http://127.0.0.1:6443", ["https:"])).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(validateZookeeperHosts("h", "127.0.0.1")).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(validateZookeeperHosts("h", "127.0.0.1:99999")).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
