/**
 * Zones of a site against the stack's real Nacos and PostgreSQL: two zones (prod-hz-j,
 * prod-hz-k, site=hz) on the same Nacos but in different namespaces, each zone reading its own
 * namespace. Merged view with differences; "disable this IP in every zone" seen in Nacos
 * itself; a zone whose Nacos refuses connections (fault proxy) → `partial`; scope.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { updateInstance } from "@/lib/registry/update-instance";
import { disableEverywhere } from "@/lib/registry/disable-everywhere";
import { listSites, mergedService, mergedServices } from "@/lib/registry/zones";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";

let pg: PostgresFixture;
let nacos: NacosClient;
let proxy: FaultProxy | undefined;
let conn: { url: string; username: string; password: string };
const admin = actorWithRole("admin");
const operator = actorWithRole("operator");
const run = randomBytes(3).toString("hex");
const nsJ = `it-zone-j-${run}`;
const nsK = `it-zone-k-${run}`;
const svc = `pay-${run}`;
const onlyJ = `ledger-${run}`;
const labels = (zone: string) => ({ tier: "prod", site: "hz", zone });
/** Every instance the test registers, for cleanup. */
const registered: Array<{ namespace: string; serviceName: string; ip: string; port: number }> = [];

async function register(namespace: string, serviceName: string, ip: string, port: number, weight: number) {
  registered.push({ namespace, serviceName, ip, port });
  await nacos.registerInstance({ namespace, serviceName, ip, port, weight, ephemeral: false, metadata: { version: "1.0" } });
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 60; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  return fn();
}

const instance = async (namespace: string, ip: string, port: number) => (await nacos.listInstances({ namespace, serviceName: svc })).find((i) => i.ip === ip && i.port === port);

async function auditRows(requestId: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT phase, outcome, environment, before, after, detail FROM audit_events WHERE request_id = $1 ORDER BY id", [requestId]));
  return r.rows as Array<{ phase: string; outcome: string | null; environment: string; before: unknown; after: unknown; detail: Record<string, unknown> }>;
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("zones");
  setProcessDatabase(pg.handle);
  conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password, timeoutMs: 15_000 });
  await nacos.createNamespace({ id: nsJ, name: `zone j ${run}`, description: "zones integration test" });
  await nacos.createNamespace({ id: nsK, name: `zone k ${run}`, description: "zones integration test" });
  await createEnvironment.execute(admin, { name: "prod-hz-j", labels: labels("j"), registry: { kind: "nacos", ...conn, namespaces: [nsJ] } }, meta());
  await createEnvironment.execute(admin, { name: "prod-hz-k", labels: labels("k"), registry: { kind: "nacos", ...conn, namespaces: [nsK] } }, meta());
  // The same instances in both zones; 127.0.0.1:9001 has another weight in zone k.
  for (const [ns, w] of [[nsJ, 1], [nsK, 3]] as const) {
    await register(ns, svc, "127.0.0.1", 9001, w);
    await register(ns, svc, "127.0.0.1", 9002, 1);
    await register(ns, svc, "127.0.0.2", 9001, 1);
  }
  await register(nsJ, onlyJ, "127.0.0.3", 9001, 1);
});

afterAll(async () => {
  await proxy?.close();
  if (nacos) {
    for (const r of registered) await nacos.deregisterInstance({ ...r, ephemeral: false }).catch(() => undefined);
    // Deregistering leaves empty services behind and the client has no delete for them or for
    // namespaces, so raw calls (as lib/nacos/client.integration.test.ts does).
    const login = await fetch(`${conn.url}/v3/auth/user/login`, { method: "POST", body: new URLSearchParams({ username: conn.username, password: conn.password }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    for (const key of new Set(registered.map((r) => `${r.namespace}/${r.serviceName}`))) {
      const [namespace, serviceName] = key.split("/") as [string, string];
      const q = new URLSearchParams({ serviceName, groupName: "DEFAULT_GROUP", namespaceId: namespace });
      await eventually(
        () => fetch(`${conn.url}/v3/admin/ns/service?${q}`, { method: "DELETE", headers: { accessToken: token } }).then((res) => res.ok),
        (ok) => ok,
      ).catch(() => undefined);
    }
    for (const ns of [nsJ, nsK]) {
      await fetch(`${conn.url}/v3/admin/core/namespace?namespaceId=${encodeURIComponent(ns)}`, { method: "DELETE", headers: { accessToken: token } }).catch(() => undefined);
    }
  }
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

describe("zones of a site", () => {
  it("lists the site with its zones in zone order", async () => {
    const sites = await listSites(admin);
    expect(sites).toEqual([
      {
        site: "hz",
        zones: [
          { zone: "j", environment: "prod-hz-j", namespaces: [nsJ] },
          { zone: "k", environment: "prod-hz-k", namespaces: [nsK] },
        ],
      },
    ]);
  });

  it("merged view: each service once, counts per zone (each zone in its own namespace), differences flagged", async () => {
    const page = await eventually(
      () => mergedServices(admin, "hz", { search: run, page: 1, pageSize: 50 }),
      (p) => p.items.find((s) => s.name === svc)?.reasons.includes("weight") === true && p.items.some((s) => s.name === onlyJ),
    );
    expect(page.zones).toEqual([
      { zone: "j", environment: "prod-hz-j", namespace: nsJ, ok: true },
      { zone: "k", environment: "prod-hz-k", namespace: nsK, ok: true },
    ]);
    expect(page.items.filter((s) => s.name === svc)).toHaveLength(1);
    const row = page.items.find((s) => s.name === svc)!;
    expect(row).toMatchObject({ group: "DEFAULT_GROUP", differences: true, cells: { j: { state: "present", instanceCount: 3 }, k: { state: "present", instanceCount: 3 } } });
    expect(row.reasons).toEqual(["weight"]);
    expect(page.items.find((s) => s.name === onlyJ)).toMatchObject({ differences: true, reasons: ["missing"], cells: { j: { state: "present", instanceCount: 1 }, k: { state: "missing" } } });
    expect(page.total).toBe(2);

    const detail = await mergedService(admin, "hz", { group: "DEFAULT_GROUP", serviceName: svc });
    expect(detail.rows.map((r) => r.key)).toEqual(["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.2:9001"]);
    expect(detail.rows[0]).toMatchObject({ differs: { weight: true, metadata: false, enabled: false }, cells: { j: { weight: 1 }, k: { weight: 3 } } });
    expect(detail.rows[1]!.differs).toEqual({ weight: false, metadata: false, enabled: false });
    expect(detail.canDisableEverywhere).toBe(true);
    expect((await mergedService(actorWithRole("viewer"), "hz", { group: "DEFAULT_GROUP", serviceName: svc })).canDisableEverywhere).toBe(false);
  });

  it("scope: a developer bound to tier=dev sees no prod site (404); a viewer gets 403 on disable and nothing changes", async () => {
    const dev = actorWithRole("developer", { env: "tier=dev" });
    expect(await listSites(dev)).toEqual([]);
    await expect(mergedServices(dev, "hz", { page: 1, pageSize: 50 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(mergedService(dev, "hz", { group: "DEFAULT_GROUP", serviceName: svc })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(disableEverywhere.execute(dev, { site: "hz", serviceName: svc, ip: "127.0.0.1", expected: [] }, meta())).rejects.toMatchObject({ code: "NOT_FOUND" });

    const m = meta();
    await expect(disableEverywhere.execute(actorWithRole("viewer"), { site: "hz", serviceName: svc, ip: "127.0.0.1", expected: [] }, m)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await auditRows(m.requestId)).map((r) => [r.phase, r.outcome])).toEqual([["outcome", "denied"]]);
    // An operator who may write in zone j only is refused too, before anything is touched.
    const half = actorWithRole("operator", { env: "zone=j" });
    await expect(disableEverywhere.execute(half, { site: "hz", serviceName: svc, ip: "127.0.0.1", expected: [] }, meta())).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const ns of [nsJ, nsK]) for (const port of [9001, 9002]) expect((await instance(ns, "127.0.0.1", port))?.enabled).toBe(true);
  });

  it("disables every port of an IP in every zone: Nacos itself shows it; audited `succeeded` with per-zone detail", async () => {
    const m = meta();
    // What the operator saw: both ports of 127.0.0.1 enabled in each zone (9001 with weight 3 in zone k).
    const expected = [
      { zone: "j", port: 9001, enabled: true, weight: 1 },
      { zone: "j", port: 9002, enabled: true, weight: 1 },
      { zone: "k", port: 9001, enabled: true, weight: 3 },
      { zone: "k", port: 9002, enabled: true, weight: 1 },
    ];
    const result = await disableEverywhere.execute(operator, { site: "hz", serviceName: svc, ip: "127.0.0.1", expected }, m);
    expect(result).toMatchObject({ partial: false, outcome: "succeeded" });
    expect(result.zones.map((z) => [z.zone, z.status, z.ok, z.matched, z.changed])).toEqual([
      ["j", "succeeded", true, 2, 2],
      ["k", "succeeded", true, 2, 2],
    ]);
    // `after` is what Nacos read back under the lock: disabled, with the weights untouched.
    expect(result.zones[1]!.after).toMatchObject([
      { port: 9001, enabled: false, weight: 3 },
      { port: 9002, enabled: false, weight: 1 },
    ]);
    for (const ns of [nsJ, nsK]) {
      const list = await eventually(
        () => nacos.listInstances({ namespace: ns, serviceName: svc }),
        (l) => l.filter((i) => i.ip === "127.0.0.1").every((i) => !i.enabled),
      );
      expect(list.filter((i) => i.ip === "127.0.0.1").map((i) => i.enabled)).toEqual([false, false]);
      expect(list.find((i) => i.ip === "127.0.0.2")?.enabled).toBe(true);
    }
    const rows = await auditRows(m.requestId);
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "succeeded"],
    ]);
    expect(rows[1]!.detail).toMatchObject({
      site: "hz",
      zones: [
        { zone: "j", environment: "prod-hz-j", namespace: nsJ, ok: true, changed: 2 },
        { zone: "k", environment: "prod-hz-k", namespace: nsK, ok: true, changed: 2 },
      ],
    });
    expect(rows[1]!.before).toMatchObject([{ zone: "j", instances: [{ enabled: true }, { enabled: true }] }, { zone: "k", instances: [{ enabled: true }, { enabled: true }] }]);
    expect(rows[1]!.after).toMatchObject([{ zone: "j", instances: [{ enabled: false }, { enabled: false }] }, { zone: "k", instances: [{ enabled: false }, { enabled: false }] }]);
  });

  it("a zone that changed since the operator saw it is not touched: `conflict` with its current values and a diff, the other zone disabled, audited `partial`; every zone stale → 409", async () => {
    const svc2 = `fx-${run}`;
    await register(nsJ, svc2, "127.0.0.4", 9001, 1);
    await register(nsK, svc2, "127.0.0.4", 9001, 1);
    const read = (ns: string) => nacos.getInstance({ namespace: ns, serviceName: svc2, ip: "127.0.0.4", port: 9001 });
    for (const ns of [nsJ, nsK]) expect(await eventually(() => read(ns), (i) => i !== null)).not.toBeNull();
    // The operator saw weight 1 in both zones; meanwhile zone k's weight became 7.
    await nacos.updateInstance({ namespace: nsK, serviceName: svc2, ip: "127.0.0.4", port: 9001, weight: 7, enabled: true });
    expect((await eventually(() => read(nsK), (i) => i?.weight === 7))?.weight).toBe(7);
    const expected = [
      { zone: "j", port: 9001, enabled: true, weight: 1 },
      { zone: "k", port: 9001, enabled: true, weight: 1 },
    ];

    const m = meta();
    const result = await disableEverywhere.execute(operator, { site: "hz", serviceName: svc2, ip: "127.0.0.4", port: 9001, expected }, m);
    expect(result).toMatchObject({ partial: true, outcome: "partial" });
    expect(result.zones[0]).toMatchObject({ zone: "j", status: "succeeded", ok: true, changed: 1, after: [{ port: 9001, enabled: false, weight: 1 }] });
    expect(result.zones[1]).toMatchObject({
      zone: "k",
      status: "conflict",
      ok: false,
      changed: 0,
      current: [{ port: 9001, enabled: true, weight: 7 }],
      diff: [{ instance: "127.0.0.4:9001/DEFAULT", field: "weight", expected: 1, current: 7 }],
    });
    expect(result.zones[1]!.error).toMatch(/prod-hz-k/);
    // Confirmed before the answer: Nacos already shows zone j disabled; zone k is as it was.
    expect(await read(nsJ)).toMatchObject({ enabled: false, weight: 1 });
    expect(await read(nsK)).toMatchObject({ enabled: true, weight: 7 });
    const rows = await auditRows(m.requestId);
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "partial"],
    ]);
    expect(rows[1]!.detail).toMatchObject({ zones: [{ zone: "j", status: "succeeded" }, { zone: "k", status: "conflict", diff: [{ field: "weight", expected: 1, current: 7 }] }] });

    // Now both zones differ from that view (j is disabled, k has weight 7): nothing is sent, 409 per zone.
    const again = meta();
    const e = await disableEverywhere.execute(operator, { site: "hz", serviceName: svc2, ip: "127.0.0.4", port: 9001, expected }, again).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "CONFLICT" });
    const details = (e as { details: { details: { current: Record<string, unknown>; diff: unknown[] } } }).details.details;
    expect(details.current).toMatchObject({ j: [{ enabled: false, weight: 1 }], k: [{ enabled: true, weight: 7 }] });
    expect(details.diff).toEqual([
      { zone: "j", instance: "127.0.0.4:9001/DEFAULT", field: "enabled", expected: true, current: false },
      { zone: "k", instance: "127.0.0.4:9001/DEFAULT", field: "weight", expected: 1, current: 7 },
    ]);
    expect((await auditRows(again.requestId)).map((r) => r.outcome)).toEqual([null, "conflict"]);
  });

  it("disable everywhere racing a weight change of one of its instances: both land, in every round", async () => {
    const svc3 = `race-${run}`;
    await register(nsJ, svc3, "127.0.0.5", 9001, 1);
    await register(nsK, svc3, "127.0.0.5", 9001, 1);
    const key = { namespace: nsJ, serviceName: svc3, ip: "127.0.0.5", port: 9001 };
    for (const ns of [nsJ, nsK]) expect(await eventually(() => nacos.getInstance({ ...key, namespace: ns }), (i) => i !== null)).not.toBeNull();
    for (const weight of [4, 6, 8]) {
      const now = (await nacos.getInstance(key))!;
      const [disabled, weighted] = await Promise.all([
        disableEverywhere.execute(operator, { site: "hz", serviceName: svc3, ip: "127.0.0.5", port: 9001, expected: [{ zone: "j", port: 9001, enabled: true }, { zone: "k", port: 9001, enabled: true }] }, meta()),
        updateInstance.execute(operator, { environment: "prod-hz-j", namespace: nsJ, serviceName: svc3, ip: "127.0.0.5", port: 9001, weight, expected: { weight: now.weight } }, meta()),
      ]);
      expect(disabled.outcome).toBe("succeeded");
      expect(weighted.outcome).toBe("succeeded");
      // Both were confirmed before they answered: zone j holds the new weight and the disable.
      expect(await nacos.getInstance(key)).toMatchObject({ weight, enabled: false });
      // Enabled again for the next round, directly and confirmed.
      await nacos.updateInstance({ ...key, weight, enabled: true });
      await nacos.updateInstance({ ...key, namespace: nsK, weight: 1, enabled: true });
      for (const ns of [nsJ, nsK]) await eventually(() => nacos.getInstance({ ...key, namespace: ns }), (i) => i?.enabled === true);
    }
  });

  it("zone k's Nacos refuses connections: zone j is disabled, zone k reported failed naming Nacos and the environment; audited `partial`", async () => {
    const target = new URL(conn.url);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, "refuse");
    await updateEnvironment.execute(admin, { name: "prod-hz-k", labels: labels("k"), registry: { kind: "nacos", url: `${proxy.url()}${target.pathname}`, username: conn.username, password: conn.password, namespaces: [nsK] }, expectedVersion: 1 }, meta());

    const m = meta();
    const expected = [
      { zone: "j", port: 9001, enabled: true },
      { zone: "k", port: 9001, enabled: true },
    ];
    const result = await disableEverywhere.execute(operator, { site: "hz", serviceName: svc, ip: "127.0.0.2", port: 9001, expected }, m);
    expect(result.partial).toBe(true);
    expect(result.zones[0]).toMatchObject({ zone: "j", ok: true, changed: 1, after: [{ ip: "127.0.0.2", port: 9001, enabled: false }] });
    expect(result.zones[1]).toMatchObject({ zone: "k", environment: "prod-hz-k", ok: false, changed: 0 });
    expect(result.zones[1]!.error).toMatch(/Nacos/);
    expect(result.zones[1]!.error).toMatch(/prod-hz-k/);

    expect((await eventually(() => instance(nsJ, "127.0.0.2", 9001), (i) => i?.enabled === false))?.enabled).toBe(false);
    expect((await instance(nsK, "127.0.0.2", 9001))?.enabled).toBe(true);
    const rows = await auditRows(m.requestId);
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "partial"],
    ]);
    expect(rows[1]!.detail).toMatchObject({ zones: [{ zone: "j", ok: true }, { zone: "k", ok: false, error: expect.stringContaining("prod-hz-k") }] });

    // The merged view keeps working with zone k reported unreachable.
    const page = await mergedServices(admin, "hz", { search: run, page: 1, pageSize: 50 });
    expect(page.zones[1]).toMatchObject({ zone: "k", ok: false });
    expect(page.items.find((s) => s.name === svc)?.cells.k).toMatchObject({ state: "unavailable" });
  });
});

describe("a ZooKeeper environment in a site (issue #11: it was silently left out)", () => {
  const zkRoot = `/switchyard-zones-${run}`;
  let zk: ZookeeperClient;

  beforeAll(async () => {
    zk = createZookeeperClient({ environment: "it-zones-zk", hosts: peerEnv("zookeeper", "ZK_HOSTS"), timeoutMs: 10_000 });
    // Spring Cloud Zookeeper's registration of the same service, on the same address as zone j's.
    const instance = { name: svc, id: "a1", address: "127.0.0.1", port: 9001, sslPort: null, payload: { metadata: { version: "1.0" } }, serviceType: "DYNAMIC" };
    await zk.create(`${zkRoot}/services/${svc}/a1`, JSON.stringify(instance), { mode: "persistent", createParents: true });
    await createEnvironment.execute(admin, { name: "prod-sh-a", labels: { tier: "prod", site: "sh", zone: "a" }, registry: { kind: "nacos", ...conn, namespaces: [nsJ] } }, meta());
    await createEnvironment.execute(admin, { name: "prod-sh-b", labels: { tier: "prod", site: "sh", zone: "b" }, registry: { kind: "zookeeper", hosts: peerEnv("zookeeper", "ZK_HOSTS"), layout: "spring-cloud", root: zkRoot } }, meta());
  });

  afterAll(async () => {
    if (!zk) return;
    for (const p of [`${zkRoot}/services/${svc}/a1`, `${zkRoot}/services/${svc}`, `${zkRoot}/services`, zkRoot]) {
      const stat = await zk.exists(p).catch(() => null);
      if (stat) await zk.remove(p, stat.version).catch(() => undefined);
    }
    await zk.close();
  });

  it("is a zone of its site, compared with the Nacos zones; 'disable everywhere' is not offered (ZooKeeper is read-only)", async () => {
    const site = (await listSites(admin)).find((s) => s.site === "sh");
    expect(site?.zones.map((z) => [z.zone, z.environment])).toEqual([
      ["a", "prod-sh-a"],
      ["b", "prod-sh-b"],
    ]);
    const page = await mergedServices(admin, "sh", { search: run, page: 1, pageSize: 50 });
    expect(page.zones).toEqual([
      { zone: "a", environment: "prod-sh-a", namespace: nsJ, ok: true },
      { zone: "b", environment: "prod-sh-b", namespace: "", ok: true },
    ]);
    // The ungrouped Spring Cloud service lines up with Nacos' DEFAULT_GROUP.
    const row = page.items.find((s) => s.name === svc);
    expect(row).toMatchObject({ group: "DEFAULT_GROUP", cells: { a: { state: "present" }, b: { state: "present", instanceCount: 1, healthyCount: 1 } } });
    expect(page.items.find((s) => s.name === onlyJ)?.cells.b).toMatchObject({ state: "missing" });

    const detail = await mergedService(admin, "sh", { group: "DEFAULT_GROUP", serviceName: svc });
    const aligned = detail.rows.find((r) => r.ip === "127.0.0.1" && r.port === 9001);
    expect(aligned?.cells.a).not.toBeNull();
    expect(aligned?.cells.b).toMatchObject({ weight: 1, enabled: true });
    expect(detail.canDisableEverywhere).toBe(false);
  });
});
