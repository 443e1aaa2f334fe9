import { afterEach, describe, expect, it } from "vitest";
import { isNonPublicAddress, validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";

afterEach(() => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
});

describe("endpoint validation (SECURITY.md 30)", () => {
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
