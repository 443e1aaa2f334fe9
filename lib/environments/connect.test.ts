import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentRow } from "@/db/schema";
import { kubernetesVersion, nacosClientFor } from "@/lib/environments/connect";
import { encryptSecrets } from "@/lib/environments/crypto";

const MASTER = "k3Jv8Qw1-zR5tY7uI9oP2aS4dF6gH8jK0lZ1xC3vB5nM7qW9";

/** A fake Nacos on loopback that counts sign-ins and remembers the password it was given. */
const logins: string[] = [];
let server: http.Server;
let baseUrl = "";

beforeAll(async () => {
  // The stand-in Nacos listens on loopback, a private address: allowed for this lab test only.
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  process.env.SWITCHYARD_ENCRYPTION_KEY = MASTER;
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/nacos/v3/auth/user/login")) {
        logins.push(new URLSearchParams(body).get("password") ?? "");
        res.end(JSON.stringify({ accessToken: `t${logins.length}`, tokenTtl: 18_000, globalAdmin: true, username: "nacos" }));
      } else if (req.url?.startsWith("/nacos/v3/admin/ns/service/list") && req.headers.accesstoken) {
        res.end(JSON.stringify({ code: 0, message: "success", data: { totalCount: 0, pageNumber: 1, pagesAvailable: 0, pageItems: [] } }));
      } else {
        res.statusCode = 401;
        res.end(JSON.stringify({ status: 401, message: "token invalid!" }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nacos`;
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  delete process.env.SWITCHYARD_ENCRYPTION_KEY;
  await new Promise((r) => server.close(r));
});

function row(id: string, version: number, password: string): EnvironmentRow {
  return {
    id,
    name: `env-${id}`,
    description: "",
    labels: {},
    registry: { kind: "nacos", url: baseUrl, username: "nacos", namespaces: [""] },
    kubernetes: null,
    prometheusUrl: null,
    secrets: encryptSecrets(MASTER, id, { nacosPassword: password }),
    version,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

describe("nacosClientFor", () => {
  it("reuses one client (and its Nacos sign-in) per environment while the stored connection is unchanged", async () => {
    logins.length = 0;
    const r = row("a1", 1, "pw-1");
    const first = nacosClientFor(r)!;
    await first.listServices();
    // The same row read again for the next request: same client, no second sign-in.
    const again = nacosClientFor({ ...r, labels: { ...r.labels } })!;
    expect(again).toBe(first);
    await again.listServices();
    expect(logins).toEqual(["pw-1"]);
  });

  it("builds a new client when the row changes (new version and credentials), and keeps environments apart", async () => {
    logins.length = 0;
    const v1 = row("b1", 1, "old-pw");
    const c1 = nacosClientFor(v1)!;
    await c1.listServices();
    const v2 = row("b1", 2, "new-pw");
    const c2 = nacosClientFor(v2)!;
    expect(c2).not.toBe(c1);
    await c2.listServices();
    expect(logins).toEqual(["old-pw", "new-pw"]);
    // Same version, but the stored credentials were replaced: still a new client.
    const c3 = nacosClientFor({ ...v2, secrets: encryptSecrets(MASTER, "b1", { nacosPassword: "newer-pw" }) })!;
    expect(c3).not.toBe(c2);
    // Another environment never gets this one's client.
    const other = nacosClientFor(row("b2", 2, "new-pw"))!;
    expect(other).not.toBe(c2);
    expect(other.environment).toBe("env-b2");
  });

  it("has no Nacos client for other registries", () => {
    expect(nacosClientFor({ ...row("c1", 1, "x"), registry: { kind: "zookeeper", hosts: "127.0.0.1:2181", layout: "dubbo", root: "/" } })).toBeNull();
  });
});

describe("kubernetesVersion (issue #11: the verdict names the version an operator plans upgrades by)", () => {
  it("is major.minor, trimming a provider's '+'; the build string only when major.minor is missing", () => {
    expect(kubernetesVersion({ major: "1", minor: "34", gitVersion: "v0.0.0-master+$Format:%H$" })).toBe("1.34");
    expect(kubernetesVersion({ major: "1", minor: "30+", gitVersion: "v1.30.4-eks-a737599" })).toBe("1.30");
    expect(kubernetesVersion({ major: "", minor: "", gitVersion: "v1.29.2" })).toBe("v1.29.2");
  });
});
