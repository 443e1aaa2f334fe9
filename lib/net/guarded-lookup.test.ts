/**
 * Issue #8 item 7: the address check ran only at registration, so a name that resolved to a
 * public address then and to loopback later (DNS rebinding) was connected to. The guard
 * resolves and checks at every connection and hands the socket the address it checked.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkLiteralHost, guardedLookup, nonPublicAddressCause, NonPublicAddressError, resolveCheckedAddresses } from "@/lib/net/guarded-lookup";

const target = { system: "nacos", environment: "prod-eu" } as const;

let server: http.Server;
let port = 0;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    requests++;
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
});

/** GET http://localhost:<port>/ through the guarded lookup; resolves to the status or rejects with the socket error. */
function getViaLocalhost(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "localhost", port, path: "/", agent: false, lookup: guardedLookup(target) }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
}

describe("resolveCheckedAddresses", () => {
  it("refuses a name that resolves to loopback, naming the host, the system and the environment", async () => {
    const e = await resolveCheckedAddresses("localhost", target).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(NonPublicAddressError);
    expect(e).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "nacos", environment: "prod-eu", host: "localhost", details: { host: "localhost", reason: "non-public-address" } });
    const err = e as NonPublicAddressError;
    expect(err.message).toMatch(/^nacos host localhost resolves to 127\.0\.0\.1/);
    expect(err.userMessage).toContain("Nacos in environment prod-eu");
    expect(err.userMessage).toContain("localhost");
    // What lies behind the name stays in the server log.
    expect(err.userMessage).not.toContain("127.0.0.1");
  });

  it("returns the checked addresses when private endpoints are allowed", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    await expect(resolveCheckedAddresses("localhost", target)).resolves.toContainEqual({ address: "127.0.0.1", family: 4 });
  });

  it("takes IP literals as they are, bracketed or not, without DNS, judging embedded IPv4 forms", async () => {
    await expect(resolveCheckedAddresses("8.8.8.8", target)).resolves.toEqual([{ address: "8.8.8.8", family: 4 }]);
    await expect(resolveCheckedAddresses("[2001:4860:4860::8888]", target)).resolves.toEqual([{ address: "2001:4860:4860::8888", family: 6 }]);
    for (const literal of ["127.0.0.1", "[::1]", "[::ffff:7f00:1]", "::7f00:1", "64:ff9b::a00:1", "169.254.169.254"]) {
      await expect(resolveCheckedAddresses(literal, target), literal).rejects.toBeInstanceOf(NonPublicAddressError);
    }
  });

  it("passes DNS failures on unchanged", async () => {
    await expect(resolveCheckedAddresses("no-such-host.invalid", target)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
  });
});

describe("guardedLookup", () => {
  it("refuses the connection before it opens: the socket reports the refusal, the server sees nothing", async () => {
    requests = 0;
    const e = await getViaLocalhost().catch((err: unknown) => err);
    expect(nonPublicAddressCause(e)).toBeInstanceOf(NonPublicAddressError);
    expect(requests).toBe(0);
  });

  it("connects to the checked address when private endpoints are allowed", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    requests = 0;
    await expect(getViaLocalhost()).resolves.toBe(200);
    expect(requests).toBe(1);
  });

  it("answers in both shapes net asks for (one address, or all for happy eyeballs)", async () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    const lookup = guardedLookup(target);
    const one = await new Promise<unknown[]>((resolve, reject) => lookup("localhost", { family: 4 }, (err, address, family) => (err ? reject(err) : resolve([address, family]))));
    expect(one).toEqual(["127.0.0.1", 4]);
    const all = await new Promise<unknown>((resolve, reject) => lookup("localhost", { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
    expect(all).toContainEqual({ address: "127.0.0.1", family: 4 });
  });
});

describe("checkLiteralHost", () => {
  it("refuses non-public IP literals (Node calls no lookup for them) and lets names through to the lookup", () => {
    for (const host of ["127.0.0.1", "[::1]", "[::ffff:7f00:1]", "[64:ff9b::a9fe:a9fe]", "10.0.0.1"]) {
      expect(() => checkLiteralHost(host, target), host).toThrow(NonPublicAddressError);
    }
    for (const host of ["8.8.8.8", "[2001:4860:4860::8888]", "nacos.example.com", "localhost"]) {
      expect(() => checkLiteralHost(host, target), host).not.toThrow();
    }
  });

  it("reads the setting at call time", () => {
    process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
    expect(() => checkLiteralHost("127.0.0.1", target)).not.toThrow();
    delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
    expect(() => checkLiteralHost("127.0.0.1", target)).toThrow(NonPublicAddressError);
  });
});
