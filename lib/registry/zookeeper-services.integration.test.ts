/**
 * ZooKeeper-registered services and the raw znode browser against the stack's real ZooKeeper
 * and PostgreSQL: Dubbo providers/consumers and Spring Cloud instances written as real znodes
 * and read back through the console; version-checked, audited znode writes; roles and scope
 * (docs/security.md §14); and a refused ensemble through the fault proxy.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import type { AppError } from "@/lib/errors";
import { getService, listServices } from "@/lib/registry/services";
import { updateInstance } from "@/lib/registry/update-instance";
import { deleteZnode } from "@/lib/registry/delete-znode";
import { writeZnode } from "@/lib/registry/write-znode";
import { listZnode } from "@/lib/registry/znodes";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";
import { encodeDubboZnodeName } from "@/lib/zookeeper/dubbo";

let pg: PostgresFixture;
let zk: ZookeeperClient;
let refused: FaultProxy;
const hosts = peerEnv("zookeeper", "ZK_HOSTS");
const run = randomBytes(4).toString("hex");
const runRoot = `/switchyard-zksvc-${run}`;
const dubboRoot = `${runRoot}/dubbo-estate`;
const springRoot = `${runRoot}/spring-estate`;
const DUBBO = "prod-zk-dubbo";
const SPRING = "prod-zk-spring";
const DOWN = "prod-zk-down";

const admin = actorWithRole("admin");
const operator = actorWithRole("operator");
const developer = actorWithRole("developer");

const ORDER = "com.acme.order.OrderService";
const USER = "com.acme.user.UserService";
const BULK = ["com.acme.bulk.Svc0", "com.acme.bulk.Svc1", "com.acme.bulk.Svc2", "com.acme.bulk.Svc3", "com.acme.bulk.Svc4"];

function provider(iface: string, host: string, port: number, extra: string): string {
  return `dubbo://${host}:${port}/${iface}?anyhost=true&application=order-app&dubbo=2.0.2&interface=${iface}&side=provider&timestamp=1700000000000${extra}`;
}

async function register(path: string, data = ""): Promise<void> {
  await zk.create(path, data, { mode: "persistent", createParents: true });
}

async function removeTree(path: string): Promise<void> {
  for (const child of (await zk.getChildren(path)) ?? []) await removeTree(`${path}/${child}`);
  const stat = await zk.exists(path);
  if (stat) await zk.remove(path, stat.version);
}

async function audit(requestId: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT phase, outcome, action, environment, target_name, before, after, detail FROM audit_events WHERE request_id = $1 ORDER BY id", [requestId]));
  return r.rows as Array<{ phase: string; outcome: string | null; action: string; environment: string; target_name: string; before: unknown; after: unknown; detail: Record<string, unknown> }>;
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("zksvc");
  setProcessDatabase(pg.handle);
  zk = createZookeeperClient({ environment: "it-zksvc", hosts, timeoutMs: 10_000 });
  await zk.create(runRoot, "", { mode: "persistent" });
  await zk.create(dubboRoot, "", { mode: "persistent" });
  await zk.create(springRoot, "", { mode: "persistent" });

  // Dubbo: OrderService with two ungrouped providers (one disabled), one in group "gray",
  // and one consumer; UserService with one provider; five more for paging; and junk names.
  const d = `${dubboRoot}/dubbo`;
  await register(`${d}/${ORDER}/providers/${encodeDubboZnodeName(provider(ORDER, "10.0.0.5", 20880, "&methods=create,cancel&version=1.0.0&weight=50"))}`);
  await register(`${d}/${ORDER}/providers/${encodeDubboZnodeName(provider(ORDER, "10.0.0.6", 20880, "&methods=create,cancel&version=1.0.0&disabled=true"))}`);
  await register(`${d}/${ORDER}/providers/${encodeDubboZnodeName(provider(ORDER, "10.0.0.7", 20881, "&methods=create&version=2.0.0&group=gray"))}`);
  await register(`${d}/${ORDER}/providers/not%2Ba%2Burl`);
  await register(`${d}/${ORDER}/consumers/${encodeDubboZnodeName(`consumer://10.0.9.9/${ORDER}?application=web&category=consumers&interface=${ORDER}&side=consumer`)}`);
  await register(`${d}/${USER}/providers/${encodeDubboZnodeName(provider(USER, "10.0.1.5", 20880, "&methods=get"))}`);
  for (const [i, iface] of BULK.entries()) await register(`${d}/${iface}/providers/${encodeDubboZnodeName(provider(iface, "10.0.2.5", 20900 + i, ""))}`);
  await register(`${dubboRoot}/config/app.properties`, "timeout=3000\nretries=2\n");
  // Dubbo's own nodes beside the interfaces: its config centre, metadata and mapping (issue #11: not services).
  await register(`${d}/config/dubbo/order-app.configurators`, "override://0.0.0.0/");
  await register(`${d}/metadata/${ORDER}/provider/order-app`);
  await register(`${d}/mapping/${ORDER}`, "order-app");
  await zk.create(`${dubboRoot}/config/blob`, Buffer.from([0xff, 0xfe, 0x00, 0x01]), { mode: "persistent" });

  // Spring Cloud: two instances of "orders" (one OUT_OF_SERVICE) and one of "billing"; one
  // instance node that is not a ServiceInstance is skipped.
  const inst = (name: string, id: string, address: string, port: number, status: string) =>
    JSON.stringify({ name, id, address, port, sslPort: null, payload: { "@class": "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance", id: name, name, metadata: { instance_status: status, zone: "hz-a" } }, registrationTimeUTC: 1700000000000, serviceType: "DYNAMIC", uriSpec: { parts: [] } });
  await register(`${springRoot}/services/orders/0b1c`, inst("orders", "0b1c", "10.1.0.5", 8080, "UP"));
  await register(`${springRoot}/services/orders/7f2e`, inst("orders", "7f2e", "10.1.0.6", 8080, "OUT_OF_SERVICE"));
  await register(`${springRoot}/services/orders/junk`, "not json");
  await register(`${springRoot}/services/billing/aa01`, inst("billing", "aa01", "10.1.0.9", 9090, "UP"));

  refused = await startFaultProxy({ host: hosts.split(":")[0]!, port: Number(hosts.split(",")[0]!.split(":")[1]) }, "refuse");
  await createEnvironment.execute(admin, { name: DUBBO, labels: { tier: "prod" }, registry: { kind: "zookeeper", hosts, layout: "dubbo", root: dubboRoot } }, meta());
  await createEnvironment.execute(admin, { name: SPRING, labels: { tier: "prod" }, registry: { kind: "zookeeper", hosts, layout: "spring-cloud", root: springRoot } }, meta());
  await createEnvironment.execute(admin, { name: DOWN, labels: { tier: "prod" }, registry: { kind: "zookeeper", hosts: `127.0.0.1:${refused.port}`, layout: "dubbo", root: "/" } }, meta());
});

afterAll(async () => {
  if (zk) {
    await removeTree(runRoot).catch(() => undefined);
    await zk.close();
  }
  await refused?.close();
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

describe("Dubbo services from ZooKeeper", () => {
  it("lists interfaces per Dubbo group, sorted by name, with provider, healthy and consumer counts", async () => {
    const page = await listServices(operator, DUBBO, { namespace: "", page: 1, pageSize: 50 });
    expect(page.total).toBe(8);
    expect(page.items.map((s) => `${s.name}@${s.group}`)).toEqual([...BULK.map((b) => `${b}@—`), `${ORDER}@gray`, `${ORDER}@—`, `${USER}@—`]);
    expect(page.items.find((s) => s.name === ORDER && s.group === "—")).toEqual({ name: ORDER, group: "—", clusterCount: 1, instanceCount: 2, healthyInstanceCount: 1, consumerCount: 1 });
    expect(page.items.find((s) => s.name === ORDER && s.group === "gray")).toMatchObject({ instanceCount: 1, healthyInstanceCount: 1, consumerCount: 0 });
  });

  it("searches by name (case-insensitive) and paginates on the server", async () => {
    const search = await listServices(operator, DUBBO, { namespace: "", search: "ORDER", page: 1, pageSize: 50 });
    expect(search.items.map((s) => s.group)).toEqual(["gray", "—"]);
    const p1 = await listServices(operator, DUBBO, { namespace: "", search: "bulk", page: 1, pageSize: 2 });
    const p3 = await listServices(operator, DUBBO, { namespace: "", search: "bulk", page: 3, pageSize: 2 });
    expect(p1).toMatchObject({ total: 5, page: 1, pages: 3 });
    expect(p1.items.map((s) => s.name)).toEqual(BULK.slice(0, 2));
    expect(p3.items.map((s) => s.name)).toEqual(BULK.slice(4));
  });

  it("details the providers of one group, parsed from the real znode names", async () => {
    const plain = await getService(operator, DUBBO, { namespace: "", group: "—", serviceName: ORDER });
    expect(plain.consumerCount).toBe(1);
    expect(plain.instances.sort((a, b) => a.ip.localeCompare(b.ip))).toEqual([
      { ip: "10.0.0.5", port: 20880, weight: 50, healthy: true, enabled: true, ephemeral: true, clusterName: "DEFAULT", serviceName: ORDER, group: "—", metadata: { application: "order-app", version: "1.0.0", methods: "create,cancel", side: "provider", protocol: "dubbo" } },
      { ip: "10.0.0.6", port: 20880, weight: 100, healthy: false, enabled: false, ephemeral: true, clusterName: "DEFAULT", serviceName: ORDER, group: "—", metadata: { application: "order-app", version: "1.0.0", methods: "create,cancel", side: "provider", protocol: "dubbo" } },
    ]);
    const gray = await getService(operator, DUBBO, { namespace: "", group: "gray", serviceName: ORDER });
    expect(gray.instances).toMatchObject([{ ip: "10.0.0.7", port: 20881, group: "gray", metadata: { version: "2.0.0", methods: "create" } }]);
    await expect(getService(operator, DUBBO, { namespace: "", group: "—", serviceName: "com.acme.Missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("splits each provider and consumer URL into protocol, host, port, interface, version and methods (issue #11)", async () => {
    const plain = await getService(operator, DUBBO, { namespace: "", group: "—", serviceName: ORDER });
    expect(plain.providers?.sort((a, b) => a.host.localeCompare(b.host))).toEqual([
      { protocol: "dubbo", host: "10.0.0.5", port: 20880, interface: ORDER, version: "1.0.0", group: null, application: "order-app", methods: ["create", "cancel"] },
      { protocol: "dubbo", host: "10.0.0.6", port: 20880, interface: ORDER, version: "1.0.0", group: null, application: "order-app", methods: ["create", "cancel"] },
    ]);
    expect(plain.consumers).toEqual([{ protocol: "consumer", host: "10.0.9.9", port: null, interface: ORDER, version: null, group: null, application: "web", methods: [] }]);
    expect(plain.subscribers).toBeUndefined();
  });

  it("Dubbo's config, metadata and mapping nodes are not services: not listed, and no detail (issue #11)", async () => {
    const all = await listServices(operator, DUBBO, { namespace: "", page: 1, pageSize: 50 });
    expect(all.items.map((s) => s.name)).not.toEqual(expect.arrayContaining(["config"]));
    expect(all.items.map((s) => s.name).filter((n) => ["config", "metadata", "mapping"].includes(n))).toEqual([]);
    for (const name of ["config", "metadata", "mapping"]) {
      await expect(getService(operator, DUBBO, { namespace: "", group: "—", serviceName: name })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("instance changes stay Nacos-only: VALIDATION for a ZooKeeper environment", async () => {
    const e = await caught(updateInstance.execute(operator, { environment: DUBBO, serviceName: ORDER, ip: "10.0.0.5", port: 20880, weight: 5, expected: { weight: 50 } }, meta()));
    expect(e.code).toBe("VALIDATION");
    expect(e.userMessage).toMatch(/instance changes are supported for Nacos registries/i);
  });
});

describe("Spring Cloud services from ZooKeeper", () => {
  it("lists services and details instances from the JSON znodes", async () => {
    const page = await listServices(developer, SPRING, { namespace: "", page: 1, pageSize: 50 });
    expect(page).toEqual({
      total: 2,
      page: 1,
      pages: 1,
      items: [
        { name: "billing", group: "—", clusterCount: 1, instanceCount: 1, healthyInstanceCount: 1 },
        { name: "orders", group: "—", clusterCount: 1, instanceCount: 2, healthyInstanceCount: 1 },
      ],
    });
    const detail = await getService(developer, SPRING, { namespace: "", group: "—", serviceName: "orders" });
    expect(detail.instances.sort((a, b) => a.ip.localeCompare(b.ip))).toEqual([
      { ip: "10.1.0.5", port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: false, clusterName: "DEFAULT", serviceName: "orders", group: "—", metadata: { instance_status: "UP", zone: "hz-a" } },
      { ip: "10.1.0.6", port: 8080, weight: 1, healthy: false, enabled: false, ephemeral: false, clusterName: "DEFAULT", serviceName: "orders", group: "—", metadata: { instance_status: "OUT_OF_SERVICE", zone: "hz-a" } },
    ]);
    expect((await getService(developer, SPRING, { namespace: "", group: "DEFAULT_GROUP", serviceName: "billing" })).instances).toMatchObject([{ ip: "10.1.0.9", port: 9090 }]);
  });
});

describe("znode browser", () => {
  it("an operator reads a node: sorted children, text data and stat, relative to the environment's root", async () => {
    const top = await listZnode(operator, DUBBO, "/dubbo");
    expect(top).toMatchObject({ environment: DUBBO, root: dubboRoot, path: "/dubbo", binary: false, data: "" });
    // The browser shows every child, Dubbo's own config/metadata/mapping nodes included.
    expect(top.children).toEqual([...BULK, ORDER, USER, "config", "mapping", "metadata"].sort());
    const file = await listZnode(operator, DUBBO, "/config/app.properties");
    expect(file).toMatchObject({ data: "timeout=3000\nretries=2\n", binary: false, size: 23, children: [], stat: { version: 0, numChildren: 0, dataLength: 23 } });
    const blob = await listZnode(operator, DUBBO, "/config/blob");
    expect(blob).toMatchObject({ binary: true, size: 4, data: Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString("base64") });
    await expect(listZnode(operator, DUBBO, "/config/nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listZnode(operator, DUBBO, "/config/../x")).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("developers and viewers may read services but not raw znodes (403)", async () => {
    await expect(listZnode(developer, DUBBO, "/")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listZnode(actorWithRole("viewer"), DUBBO, "/")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("an admin writes with the loaded version; the change is in ZooKeeper and audited with before/after", async () => {
    const loaded = await listZnode(admin, DUBBO, "/config/app.properties");
    const m = meta();
    const r = await writeZnode.execute(admin, { environment: DUBBO, path: "/config/app.properties", data: "timeout=5000\n", expectedVersion: loaded.stat.version }, m);
    expect(r.stat?.version).toBe(loaded.stat.version + 1);
    const direct = await zk.getData(`${dubboRoot}/config/app.properties`);
    expect(direct?.data.toString()).toBe("timeout=5000\n");
    const rows = await audit(m.requestId);
    expect(rows.map((x) => x.phase)).toEqual(["intent", "outcome"]);
    expect(rows[1]).toMatchObject({
      outcome: "succeeded",
      action: "registry.znode.write",
      environment: DUBBO,
      target_name: "/config/app.properties",
      before: { path: "/config/app.properties", version: 0, data: "timeout=3000\nretries=2\n" },
      after: { path: "/config/app.properties", version: 1, data: "timeout=5000\n" },
    });
  });

  it("a stale version is a CONFLICT: nothing written, audited as conflict", async () => {
    const m = meta();
    const e = await caught(writeZnode.execute(admin, { environment: DUBBO, path: "/config/app.properties", data: "timeout=1\n", expectedVersion: 0 }, m));
    expect(e.code).toBe("CONFLICT");
    expect(e.status).toBe(409);
    expect((await zk.getData(`${dubboRoot}/config/app.properties`))?.data.toString()).toBe("timeout=5000\n");
    expect((await audit(m.requestId)).map((x) => x.outcome)).toEqual([null, "conflict"]);
  });

  it("audit data is cut to 4 KiB", async () => {
    const m = meta();
    const big = "x".repeat(10_000);
    await writeZnode.execute(admin, { environment: DUBBO, path: "/config/big", data: big, create: true }, m);
    const [, outcome] = await audit(m.requestId);
    expect(outcome!.after).toMatchObject({ size: 10_000, truncated: true, data: "x".repeat(4_096) });
    expect((await zk.getData(`${dubboRoot}/config/big`))?.data.length).toBe(10_000);
  });

  it("create: true makes a new node; again → CONFLICT; delete needs the current version", async () => {
    await writeZnode.execute(admin, { environment: DUBBO, path: "/config/new", data: "v1\npassword=hunter2\n", create: true }, meta());
    expect((await caught(writeZnode.execute(admin, { environment: DUBBO, path: "/config/new", data: "v2", create: true }, meta()))).code).toBe("CONFLICT");
    expect((await caught(deleteZnode.execute(admin, { environment: DUBBO, path: "/config/new", expectedVersion: 7 }, meta()))).code).toBe("CONFLICT");
    expect(await zk.exists(`${dubboRoot}/config/new`)).not.toBeNull();
    const m = meta();
    await deleteZnode.execute(admin, { environment: DUBBO, path: "/config/new", expectedVersion: 0 }, m);
    expect(await zk.exists(`${dubboRoot}/config/new`)).toBeNull();
    expect((await audit(m.requestId))[1]).toMatchObject({ action: "registry.znode.delete", outcome: "succeeded", before: { data: "v1\npassword=[redacted]\n", version: 0 }, after: null });
    expect((await caught(deleteZnode.execute(admin, { environment: DUBBO, path: "/config", expectedVersion: 0 }, meta()))).code).toBe("CONFLICT");
    expect((await caught(deleteZnode.execute(admin, { environment: DUBBO, path: "/", expectedVersion: 0 }, meta()))).code).toBe("VALIDATION");
  });

  it("an operator may not write (403, audited as denied); the node is unchanged", async () => {
    const m = meta();
    const e = await caught(writeZnode.execute(operator, { environment: DUBBO, path: "/config/app.properties", data: "hacked", expectedVersion: 1 }, m));
    expect(e.code).toBe("FORBIDDEN");
    expect(e.status).toBe(403);
    expect(await audit(m.requestId)).toMatchObject([{ phase: "outcome", outcome: "denied", action: "registry.znode.write", detail: { permission: "registry.znode.write" } }]);
    expect((await zk.getData(`${dubboRoot}/config/app.properties`))?.data.toString()).toBe("timeout=5000\n");
  });

  it("service reads see a znode change at once (the cache is invalidated)", async () => {
    expect((await listServices(operator, DUBBO, { namespace: "", search: "user", page: 1, pageSize: 50 })).items[0]).toMatchObject({ instanceCount: 1 });
    const name = encodeDubboZnodeName(provider(USER, "10.0.1.6", 20880, ""));
    await writeZnode.execute(admin, { environment: DUBBO, path: `/dubbo/${USER}/providers/${name}`, data: "", create: true }, meta());
    expect((await listServices(operator, DUBBO, { namespace: "", search: "user", page: 1, pageSize: 50 })).items[0]).toMatchObject({ instanceCount: 2 });
  });
});

describe("scope and failures", () => {
  it("a developer bound to tier=dev gets 404 for a prod ZooKeeper environment, everywhere", async () => {
    const dev = actorWithRole("developer", { env: "tier=dev" });
    await expect(listServices(dev, DUBBO, { namespace: "", page: 1, pageSize: 20 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getService(dev, DUBBO, { namespace: "", group: "—", serviceName: ORDER })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listZnode(dev, DUBBO, "/")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(writeZnode.execute(dev, { environment: DUBBO, path: "/config/x", data: "", create: true }, meta())).rejects.toMatchObject({ code: "NOT_FOUND" });
    const opDev = actorWithRole("operator", { env: "tier=dev" });
    await expect(listZnode(opDev, DUBBO, "/")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("ZooKeeper refusing connections → 502 UPSTREAM_UNAVAILABLE naming zookeeper and the environment; a write fails and is audited", async () => {
    for (const p of [listServices(operator, DOWN, { namespace: "", page: 1, pageSize: 20 }), listZnode(operator, DOWN, "/")]) {
      const e = await caught(p);
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(e.status).toBe(502);
      expect(e.details).toMatchObject({ system: "zookeeper", environment: DOWN });
      expect(e.userMessage).toBe(`ZooKeeper in environment ${DOWN} is unreachable.`);
    }
    const m = meta();
    expect((await caught(writeZnode.execute(admin, { environment: DOWN, path: "/x", data: "", create: true }, m))).code).toBe("UPSTREAM_UNAVAILABLE");
    expect((await audit(m.requestId)).map((x) => x.outcome)).toEqual([null, "failed"]);
  });
});
