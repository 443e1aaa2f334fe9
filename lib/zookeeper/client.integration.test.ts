/**
 * The ZooKeeper client against the real standalone server from scripts/stack/zookeeper.sh;
 * fault paths through the fault proxy (and a counting TCP server) in front of it.
 */
import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, UpstreamError } from "@/lib/errors";
import { peerEnv } from "@/lib/testing/peers";
import { settlesExactlyAt } from "@/lib/testing/deadline";
import { startFaultProxy } from "@/lib/testing/fault-proxy";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";
import { encodeDubboZnodeName, parseDubboZnodeName, parseSpringCloudInstance } from "@/lib/zookeeper/dubbo";

const hosts = peerEnv("zookeeper", "ZK_HOSTS");
const [zkHost, zkPort] = hosts.split(",")[0]!.split(":") as [string, string];
const runRoot = `/switchyard-it-${randomUUID()}`;
const ENV = "it-zk";

let admin: ZookeeperClient;
let zk: ZookeeperClient;

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw new Error(`expected an AppError, got ${String(e)}`, { cause: e });
  }
  throw new Error("expected the call to fail");
}

async function removeTree(client: ZookeeperClient, path: string): Promise<void> {
  for (const child of (await client.getChildren(path)) ?? []) await removeTree(client, `${path === "/" ? "" : path}/${child}`);
  const stat = await client.exists(path);
  if (stat) await client.remove(path, stat.version);
}

/** A TCP server that accepts and immediately resets (or holds) connections, counting them. */
async function countingServer(mode: "reset" | "hold") {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.on("error", () => undefined);
    if (mode === "reset") s.resetAndDestroy();
    else {
      // Read and discard: a socket whose data is never read never sees the peer's FIN.
      s.resume();
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  admin = createZookeeperClient({ environment: ENV, hosts, timeoutMs: 10_000 });
  await admin.create(runRoot, "", { mode: "persistent" });
  zk = createZookeeperClient({ environment: ENV, hosts, root: runRoot, timeoutMs: 10_000 });
});

afterAll(async () => {
  await zk?.close();
  if (admin) {
    await removeTree(admin, runRoot);
    await admin.close();
  }
});

describe("reads and writes", () => {
  it("creates a node and reads it back", async () => {
    const before = Date.now();
    expect(await zk.create("/plain", "hello", { mode: "persistent" })).toBe("/plain");
    const got = await zk.getData("/plain");
    expect(got?.data.toString()).toBe("hello");
    expect(got?.stat).toMatchObject({ version: 0, numChildren: 0, dataLength: 5, ephemeralOwner: null });
    expect(got!.stat.mtime).toBeGreaterThanOrEqual(before - 5_000);
    expect(got!.stat.ctime).toBe(got!.stat.mtime);
    expect((await zk.exists("/plain"))?.version).toBe(0);
    // The root option really is a chroot: the node lives under the run's root.
    expect((await admin.getData(`${runRoot}/plain`))?.data.toString()).toBe("hello");
  });

  it("answers null for missing nodes on reads", async () => {
    expect(await zk.getData("/missing")).toBeNull();
    expect(await zk.exists("/missing")).toBeNull();
    expect(await zk.getChildren("/missing")).toBeNull();
  });

  it("stores binary and empty data", async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await zk.create("/binary", bytes, { mode: "persistent" });
    expect((await zk.getData("/binary"))?.data.equals(bytes)).toBe(true);
    await zk.create("/empty", "", { mode: "persistent" });
    expect((await zk.getData("/empty"))?.data.length).toBe(0);
  });

  it("creates missing parents only when asked", async () => {
    const e = await caught(zk.create("/p1/p2/leaf", "x", { mode: "persistent" }));
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.code).toBe("NOT_FOUND");
    expect(await zk.create("/p1/p2/leaf", "x", { mode: "persistent", createParents: true })).toBe("/p1/p2/leaf");
    expect(await zk.getChildren("/p1")).toEqual(["p2"]);
    expect((await zk.getData("/p1/p2"))?.data.length).toBe(0);
    // Existing parents are fine.
    await zk.create("/p1/p2/leaf2", "y", { mode: "persistent", createParents: true });
    expect(await zk.getChildren("/p1/p2")).toEqual(["leaf", "leaf2"]);
  });

  it("refuses to create an existing node: CONFLICT", async () => {
    await zk.create("/dup", "1", { mode: "persistent" });
    const e = await caught(zk.create("/dup", "2", { mode: "persistent" }));
    expect(e.code).toBe("CONFLICT");
    expect((e as UpstreamError).system).toBe("zookeeper");
    expect((await zk.getData("/dup"))?.data.toString()).toBe("1");
  });

  it("writes with the right version and refuses a stale one (CONFLICT, data unchanged)", async () => {
    await zk.create("/cas", "v0", { mode: "persistent" });
    const stat = await zk.setData("/cas", "v1", 0);
    expect(stat.version).toBe(1);
    const e = await caught(zk.setData("/cas", "stale write", 0));
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.code).toBe("CONFLICT");
    expect(e.status).toBe(409);
    expect((e as UpstreamError).system).toBe("zookeeper");
    expect((e as UpstreamError).environment).toBe(ENV);
    expect(e.details).toMatchObject({ path: "/cas", expectedVersion: 0, environment: ENV });
    const after = await zk.getData("/cas");
    expect(after?.data.toString()).toBe("v1");
    expect(after?.stat.version).toBe(1);
  });

  it("requires an expected version on writes and deletes", async () => {
    for (const bad of [undefined, -1, 1.5, "1", Number.NaN]) {
      const e = await caught(zk.setData("/cas", "x", bad as unknown as number));
      expect(e.code).toBe("VALIDATION");
      expect(e.fields[0]?.field).toBe("expectedVersion");
      expect((await caught(zk.remove("/cas", bad as unknown as number))).code).toBe("VALIDATION");
    }
    expect((await zk.getData("/cas"))?.data.toString()).toBe("v1");
  });

  it("maps NoNode on setData/remove to NOT_FOUND", async () => {
    expect((await caught(zk.setData("/nope", "x", 0))).code).toBe("NOT_FOUND");
    expect((await caught(zk.remove("/nope", 0))).code).toBe("NOT_FOUND");
  });

  it("removes with the right version only, and never a node with children", async () => {
    await zk.create("/gone", "x", { mode: "persistent" });
    await zk.setData("/gone", "y", 0);
    expect((await caught(zk.remove("/gone", 0))).code).toBe("CONFLICT");
    await zk.remove("/gone", 1);
    expect(await zk.exists("/gone")).toBeNull();
    const parent = await zk.exists("/p1");
    const e = await caught(zk.remove("/p1", parent!.version));
    expect(e.code).toBe("CONFLICT");
    expect(e.userMessage).toMatch(/children/);
  });

  it("lists children sorted", async () => {
    for (const n of ["c", "a", "b"]) await zk.create(`/list/${n}`, n, { mode: "persistent", createParents: true });
    expect(await zk.getChildren("/list")).toEqual(["a", "b", "c"]);
    expect((await zk.exists("/list"))?.numChildren).toBe(3);
  });

  it("creates sequential nodes and returns the real path", async () => {
    const first = await zk.create("/seq/job-", "1", { mode: "persistent_sequential", createParents: true });
    const second = await zk.create("/seq/job-", "2", { mode: "persistent_sequential" });
    expect(first).toMatch(/^\/seq\/job-\d{10}$/);
    expect(second > first).toBe(true);
    expect((await zk.getData(second))?.data.toString()).toBe("2");
  });

  it("creates ephemeral nodes that go with the session", async () => {
    const other = createZookeeperClient({ environment: ENV, hosts, root: runRoot });
    await other.create("/eph", "mine", { mode: "ephemeral" });
    const stat = await zk.exists("/eph");
    expect(stat?.ephemeralOwner).toMatch(/^[0-9a-f]{16}$/);
    await other.close();
    expect(await zk.exists("/eph")).toBeNull();
    // A closed client refuses further calls instead of reconnecting behind our back.
    expect((await caught(other.getData("/eph"))).code).toBe("UPSTREAM_UNAVAILABLE");
  });

  it("refuses data over 1 MiB before sending", async () => {
    const e = await caught(zk.create("/big", Buffer.alloc(1_048_577), { mode: "persistent" }));
    expect(e.code).toBe("VALIDATION");
    expect(e.fields[0]?.field).toBe("data");
  });
});

describe("service registries", () => {
  const iface = "com.acme.DemoService";
  const providers = [
    "dubbo://10.0.0.5:20880/com.acme.DemoService?anyhost=true&application=demo-provider&methods=sayHello,sayBye" +
      "&version=1.0.0&group=g1&weight=50&disabled=false&side=provider&interface=com.acme.DemoService&timestamp=1700000000000",
    "dubbo://10.0.0.6:20880/com.acme.DemoService?anyhost=true&application=demo-provider&methods=sayHello,sayBye" +
      "&version=1.0.0&group=g1&disabled=true&side=provider&interface=com.acme.DemoService&timestamp=1700000000001",
  ];
  const consumer =
    "consumer://10.0.0.9/com.acme.DemoService?application=demo-consumer&category=consumers&check=false" +
    "&interface=com.acme.DemoService&methods=sayHello&side=consumer&timestamp=1700000000002";

  it("reads real Dubbo provider and consumer znodes and parses them", async () => {
    // Dubbo registers ephemeral nodes under persistent category nodes.
    for (const url of providers) {
      await zk.create(`/dubbo/${iface}/providers/${encodeDubboZnodeName(url)}`, "", { mode: "ephemeral", createParents: true });
    }
    await zk.create(`/dubbo/${iface}/consumers/${encodeDubboZnodeName(consumer)}`, "", { mode: "ephemeral", createParents: true });
    // A stray node Dubbo would never write is skipped, not fatal.
    await zk.create(`/dubbo/${iface}/providers/not-a-url`, "", { mode: "persistent" });

    expect(await zk.getChildren("/dubbo")).toEqual([iface]);
    const names = (await zk.getChildren(`/dubbo/${iface}/providers`))!;
    expect(names).toHaveLength(3);
    const parsed = names.map(parseDubboZnodeName).filter((p) => p !== null);
    expect(parsed).toHaveLength(2);
    const byHost = Object.fromEntries(parsed.map((p) => [p.host, p]));
    expect(byHost["10.0.0.5"]).toMatchObject({
      protocol: "dubbo",
      port: 20880,
      interface: iface,
      application: "demo-provider",
      version: "1.0.0",
      group: "g1",
      methods: ["sayHello", "sayBye"],
      weight: 50,
      disabled: false,
      side: "provider",
    });
    expect(byHost["10.0.0.6"]).toMatchObject({ weight: 100, disabled: true });
    const [consumerName] = (await zk.getChildren(`/dubbo/${iface}/consumers`))!;
    expect(parseDubboZnodeName(consumerName!)).toMatchObject({ side: "consumer", host: "10.0.0.9", port: null });
  });

  it("reads a Spring Cloud Zookeeper instance znode and parses it", async () => {
    const id = randomUUID();
    const instance = {
      name: "orders",
      id,
      address: "10.0.0.7",
      port: 8080,
      sslPort: null,
      payload: {
        "@class": "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance",
        id: "orders-1",
        name: "orders",
        metadata: { instance_status: "UP", version: "2.3.1" },
      },
      registrationTimeUTC: Date.now(),
      serviceType: "DYNAMIC",
      uriSpec: {
        parts: [
          { value: "scheme", variable: true },
          { value: "://", variable: false },
          { value: "address", variable: true },
          { value: ":", variable: false },
          { value: "port", variable: true },
        ],
      },
    };
    await zk.create(`/services/orders/${id}`, JSON.stringify(instance), { mode: "ephemeral", createParents: true });
    expect(await zk.getChildren("/services/orders")).toEqual([id]);
    const got = await zk.getData(`/services/orders/${id}`);
    expect(parseSpringCloudInstance(got!.data)).toEqual({
      name: "orders",
      id,
      address: "10.0.0.7",
      port: 8080,
      sslPort: null,
      metadata: { instance_status: "UP", version: "2.3.1" },
    });
  });
});

describe("paths", () => {
  it.each(["/a/../b", "/a/./b", "/..", "a", "", "/a/", "//a", "/a//b", "/a\u0000b", "/a\u0001b", "/a/\ud800"])(
    "refuses %j with VALIDATION before any call",
    async (path) => {
      // A client for a port nobody listens on: validation must answer without connecting.
      const offline = createZookeeperClient({ environment: ENV, hosts: "127.0.0.1:1", timeoutMs: 1_000 });
      for (const call of [
        () => offline.getData(path),
        () => offline.exists(path),
        () => offline.getChildren(path),
        () => offline.create(path, "x", { mode: "persistent" }),
        () => offline.setData(path, "x", 0),
        () => offline.remove(path, 0),
      ]) {
        const e = await caught(call());
        expect(e.code).toBe("VALIDATION");
        expect(e.fields[0]?.field).toBe("path");
      }
      await offline.close();
    },
  );

  it("refuses an invalid root or hosts list", () => {
    expect(() => createZookeeperClient({ environment: ENV, hosts, root: "/a/../b" })).toThrow(AppError);
    expect(() => createZookeeperClient({ environment: ENV, hosts: "127.0.0.1:22181/chroot" })).toThrow(AppError);
    expect(() => createZookeeperClient({ environment: ENV, hosts: "" })).toThrow(AppError);
  });

  it("never removes the root or /zookeeper", async () => {
    expect((await caught(admin.remove("/", 0))).code).toBe("VALIDATION");
    expect((await caught(admin.remove("/zookeeper", 0))).code).toBe("VALIDATION");
    expect((await caught(zk.remove("/", 0))).code).toBe("VALIDATION"); // the chroot itself
    expect(await admin.exists(runRoot)).not.toBeNull();
  });

  it("refuses an unknown create mode", async () => {
    for (const mode of ["toString", "__proto__", "EPHEMERAL", undefined]) {
      const e = await caught(zk.create("/mode", "x", { mode: mode as "persistent" }));
      expect(e.code).toBe("VALIDATION");
      expect(e.fields[0]?.field).toBe("mode");
    }
  });
});

describe("faults", () => {
  it("server refuses connections: UPSTREAM_UNAVAILABLE naming zookeeper and the environment, from the refusal (no timeout waited out)", async () => {
    const proxy = await startFaultProxy({ host: zkHost, port: Number(zkPort) }, "refuse");
    // A timeout far beyond the test's own limit: had the refusal been waited out, the test would time out.
    const client = createZookeeperClient({ environment: "staging-eu", hosts: `127.0.0.1:${proxy.port}`, timeoutMs: 60_000 });
    try {
      const e = await caught(client.getData("/x"));
      expect(e).toBeInstanceOf(UpstreamError);
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect((e as UpstreamError).system).toBe("zookeeper");
      expect((e as UpstreamError).environment).toBe("staging-eu");
      expect(e.userMessage).toContain("ZooKeeper");
      expect(e.userMessage).toContain("staging-eu");
      // Given up after the refused attempt itself, not at a deadline.
      expect(e.message).toBe(`zookeeper 127.0.0.1:${proxy.port}: no server of 1 accepted a session (refused, closed, or not serving)`);
      expect(proxy.forwarded).toBe(0);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it("closed port: UPSTREAM_UNAVAILABLE from the refusal (no timeout waited out)", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = createZookeeperClient({ environment: "staging-eu", hosts: `127.0.0.1:${port}`, timeoutMs: 60_000 });
    try {
      const e = await caught(client.exists("/"));
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(e.message).toBe(`zookeeper 127.0.0.1:${port}: no server of 1 accepted a session (refused, closed, or not serving)`);
    } finally {
      await client.close();
    }
  });

  it("server silent (blackhole): UPSTREAM_TIMEOUT, ended by the configured deadline", async () => {
    const proxy = await startFaultProxy({ host: zkHost, port: Number(zkPort) }, "blackhole");
    const client = createZookeeperClient({ environment: "staging-eu", hosts: `127.0.0.1:${proxy.port}`, timeoutMs: 1_500 });
    try {
      // Still pending at 1499 ms on the client's clock, failed at 1500 ms: the configured
      // deadline is what ends the call — measured on a fake clock, not the machine's.
      const settled = await settlesExactlyAt(1_500, () => client.setData("/x", "y", 3));
      expect(settled).toMatchObject({ ok: false, error: expect.any(UpstreamError) });
      const e = (settled as { error: UpstreamError }).error;
      expect(e.code).toBe("UPSTREAM_TIMEOUT");
      expect(e.status).toBe(504);
      expect((e as UpstreamError).system).toBe("zookeeper");
      expect((e as UpstreamError).environment).toBe("staging-eu");
      // The client's own deadline (timeoutMs) fired — the call's or the connect's, both are that
      // value — not a refusal, a reset or the test runner.
      expect(e.message).toMatch(new RegExp(`^zookeeper 127\\.0\\.0\\.1:${proxy.port}: (setData /x|connecting) did not answer within 1500 ms$`));
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it("gives up for good: no reconnect loop after a refused connect", async () => {
    const server = await countingServer("reset");
    const client = createZookeeperClient({ environment: ENV, hosts: `127.0.0.1:${server.port}`, timeoutMs: 3_000 });
    try {
      expect((await caught(client.getData("/x"))).code).toBe("UPSTREAM_UNAVAILABLE");
      await sleep(1_000);
      const settled = server.connections;
      await sleep(2_000);
      expect(server.connections).toBe(settled);
      expect(settled).toBeLessThanOrEqual(2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("gives up for good: the socket to a silent server is closed after the timeout", async () => {
    const server = await countingServer("hold");
    const client = createZookeeperClient({ environment: ENV, hosts: `127.0.0.1:${server.port}`, timeoutMs: 1_000 });
    try {
      expect((await caught(client.getChildren("/"))).code).toBe("UPSTREAM_TIMEOUT");
      await sleep(1_500);
      expect(server.open).toBe(0);
      const settled = server.connections;
      await sleep(1_500);
      expect(server.connections).toBe(settled);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("server goes away mid-session: UPSTREAM_UNAVAILABLE, then a fresh session once it is back", async () => {
    const proxy = await startFaultProxy({ host: zkHost, port: Number(zkPort) }, "pass");
    const port = proxy.port;
    const client = createZookeeperClient({ environment: "staging-eu", hosts: `127.0.0.1:${port}`, root: runRoot, timeoutMs: 4_000 });
    let back: net.Server | undefined;
    const piped = new Set<net.Socket>();
    try {
      expect((await client.getData("/plain"))?.data.toString()).toBe("hello");
      await proxy.close(); // drops the live connection; new connections are refused
      const e = await caught(client.getData("/plain"));
      // The lost connection (or, had the client already noticed it, the refused reconnect) is
      // the error — not the 4 s deadline, which would be UPSTREAM_TIMEOUT "did not answer within".
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect((e as UpstreamError).environment).toBe("staging-eu");
      expect(e.message).toMatch(
        new RegExp(`^zookeeper 127\\.0\\.0\\.1:${port}: (getData /plain: Exception: CONNECTION_LOSS\\[-4\\]|no server of 1 accepted a session \\(refused, closed, or not serving\\))$`),
      );
      // The server is reachable again on the same address: the same client recovers.
      back = net.createServer((c) => {
        const u = net.connect({ host: zkHost, port: Number(zkPort) });
        piped.add(c).add(u);
        c.on("error", () => u.destroy());
        u.on("error", () => c.destroy());
        c.pipe(u).pipe(c);
      });
      await new Promise<void>((r) => back!.listen(port, "127.0.0.1", r));
      expect((await client.getData("/plain"))?.data.toString()).toBe("hello");
    } finally {
      await client.close();
      for (const sock of piped) sock.destroy();
      await new Promise<void>((r) => (back ? back.close(() => r()) : r()));
    }
  });
});
