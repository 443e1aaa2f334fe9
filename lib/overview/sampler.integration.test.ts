/**
 * The overview sampler across two console processes (the built console, lib/testing/console-
 * server.ts) on one PostgreSQL, reading the stack's real Nacos and ZooKeeper: each minute is
 * recorded once per environment and namespace (no double rows), by one replica (the lease),
 * and the recorded counts equal what the services page's API answers for the same registry
 * at the same time — services, instances, healthy, unhealthy and disabled.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";

const run = randomBytes(3).toString("hex");
const NS = `ov-${run}`;
const ZK_ROOT = `/switchyard-ov-${run}`;
const NACOS_ENV = `ov-nacos-${run}`;
const ZK_ENV = `ov-zk-${run}`;
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const secret = testSecret();
const encryptionKey = testSecret();

let pg: PostgresFixture;
let nacos: NacosClient;
let zk: ZookeeperClient;
let listener: net.Server;
let openPort = 0;
const consoles: ConsoleServer[] = [];

interface Sample {
  environment: string;
  namespace: string;
  bucket: string;
  zone: string;
  services: number;
  instances: number;
  healthy: number;
  unhealthy: number;
  disabled: number;
  sampled_by: string;
}

function env(): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    DATABASE_MIGRATION_URL: pg.migrationUrl,
    SWITCHYARD_SECRET: secret,
    SWITCHYARD_ENCRYPTION_KEY: encryptionKey,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_OVERVIEW_TICK_MS: "1000",
    SWITCHYARD_DATA_DIR: `.stack/overview-${run}-${consoles.length}`,
  };
}

async function call(server: ConsoleServer, cookie: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url + path, {
    method: body === undefined ? "GET" : "POST",
    headers: { origin: server.url, cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function signIn(server: ConsoleServer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: server.url, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

async function samples(): Promise<Sample[]> {
  return pg.asAdmin(
    async (c) =>
      (
        await c.query(
          `SELECT e.name AS environment, s.namespace, s.bucket::text AS bucket, s.zone, s.services, s.instances, s.healthy, s.unhealthy, s.disabled, s.sampled_by
           FROM overview_samples s JOIN environments e ON e.id = s.environment_id WHERE s.resolution = 'minute' ORDER BY s.bucket, e.name`,
        )
      ).rows as Sample[],
  );
}

/** What the services page's API says about an environment's namespace, summed like the sampler. */
async function servicesApi(server: ConsoleServer, cookie: string, environment: string, namespace: string) {
  const list = await call(server, cookie, `/api/v1/environments/${environment}/services?namespace=${namespace}&pageSize=200`);
  expect(list.status).toBe(200);
  const items = list.body.items as Array<{ name: string; group: string; instanceCount: number; healthyInstanceCount: number }>;
  let disabled = 0;
  for (const s of items) {
    const d = await call(server, cookie, `/api/v1/environments/${environment}/services/${encodeURIComponent(s.group)}/${encodeURIComponent(s.name)}?namespace=${namespace}`);
    disabled += (d.body.instances as Array<{ enabled: boolean }>).filter((i) => !i.enabled).length;
  }
  const instances = items.reduce((n, s) => n + s.instanceCount, 0);
  const healthy = items.reduce((n, s) => n + s.healthyInstanceCount, 0);
  return { services: items.length, instances, healthy, unhealthy: instances - healthy, disabled };
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, tries = 300, everyMs = 1_000): Promise<T> {
  let v = await fn();
  for (let i = 0; i < tries && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    v = await fn();
  }
  if (!ok(v)) throw new Error(`${what}: not reached; last value ${JSON.stringify(v).slice(0, 2000)}`);
  return v;
}

const dubbo = (iface: string, port: number, extra = "") =>
  encodeURIComponent(`dubbo://127.0.0.1:${port}/${iface}?application=ov&dubbo=2.0.2&interface=${iface}&side=provider&timestamp=1700000000000${extra}`);

beforeAll(async () => {
  pg = await freshPostgres("overview");
  // One instance listens (Nacos' TCP health check finds it healthy), the others do not.
  listener = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  openPort = (listener.address() as net.AddressInfo).port;
  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password });
  await nacos.createNamespace({ id: NS, name: NS });
  await nacos.registerInstance({ namespace: NS, serviceName: `pay-${run}`, ip: "127.0.0.1", port: openPort, ephemeral: false });
  await nacos.registerInstance({ namespace: NS, serviceName: `pay-${run}`, ip: "127.0.0.1", port: 1, ephemeral: false, enabled: false });
  await nacos.registerInstance({ namespace: NS, serviceName: `ship-${run}`, ip: "127.0.0.1", port: 2, ephemeral: false });
  zk = createZookeeperClient({ environment: "direct", hosts: peerEnv("zookeeper", "ZK_HOSTS"), timeoutMs: 5_000 });
  const iface = "com.acme.ov.Orders";
  await zk.create(`${ZK_ROOT}/dubbo/${iface}/providers/${dubbo(iface, 20880)}`, "", { mode: "persistent", createParents: true });
  await zk.create(`${ZK_ROOT}/dubbo/${iface}/providers/${dubbo(iface, 20881, "&disabled=true")}`, "", { mode: "persistent", createParents: true });
  await zk.create(`${ZK_ROOT}/dubbo/com.acme.ov.Stock/providers/${dubbo("com.acme.ov.Stock", 20882)}`, "", { mode: "persistent", createParents: true });

  consoles.push(await startConsole(env()));
  consoles.push(await startConsole(env()));
  const cookie = await signIn(consoles[0]!);
  const created = await call(consoles[0]!, cookie, "/api/v1/environments", {
    name: NACOS_ENV,
    labels: { site: `ov-${run}`, zone: "zone-a" },
    registry: { kind: "nacos", ...conn, namespaces: [NS] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const zkCreated = await call(consoles[0]!, cookie, "/api/v1/environments", {
    name: ZK_ENV,
    labels: { site: `ov-${run}`, zone: "zone-b" },
    registry: { kind: "zookeeper", hosts: peerEnv("zookeeper", "ZK_HOSTS"), layout: "dubbo", root: ZK_ROOT },
  });
  expect(zkCreated.status, JSON.stringify(zkCreated.body)).toBe(201);
}, 180_000);

afterAll(async () => {
  await Promise.all(consoles.map((c) => c.stop()));
  for (const [svc, port] of [[`pay-${run}`, openPort], [`pay-${run}`, 1], [`ship-${run}`, 2]] as const) {
    await nacos?.deregisterInstance({ namespace: NS, serviceName: svc, ip: "127.0.0.1", port, ephemeral: false }).catch(() => undefined);
  }
  const removeTree = async (path: string): Promise<void> => {
    for (const child of (await zk.getChildren(path)) ?? []) await removeTree(`${path}/${child}`);
    const stat = await zk.exists(path);
    if (stat) await zk.remove(path, stat.version);
  };
  if (zk) {
    await removeTree(ZK_ROOT).catch(() => undefined);
    await zk.close();
  }
  await new Promise((r) => listener?.close(r));
  await pg?.drop();
});

describe("overview sampler, two console processes", () => {
  it("records each minute once per environment and namespace, from one replica, with the services API's counts", async () => {
    const cookie = await signIn(consoles[1]!);
    // Nacos' health check settles first (the listening instance healthy, the others not).
    await until("Nacos health settles", () => servicesApi(consoles[1]!, cookie, NACOS_ENV, NS), (c) => c.instances === 3 && c.healthy === 1);
    const settledAt = (await pg.asAdmin((c) => c.query("SELECT date_trunc('minute', now())::text AS m"))).rows[0].m as string;
    // Two whole minutes sampled after that (both environments in each).
    const rows = await until(
      "two sampled minutes after health settled",
      samples,
      (s) => new Set(s.filter((r) => r.bucket > settledAt).map((r) => `${r.environment}@${r.bucket}`)).size >= 4,
      200,
    );
    // No double rows: one per environment, namespace and minute (counted, not assumed from a key).
    const keys = rows.map((r) => `${r.environment}/${r.namespace}/${r.bucket}`);
    expect(keys.length).toBe(new Set(keys).size);
    // One replica sampled all of them: the lease holder kept its lease.
    expect(new Set(rows.map((r) => r.sampled_by)).size).toBe(1);
    const minutes = [...new Set(rows.map((r) => r.bucket))].map((b) => Date.parse(b.replace(" ", "T").replace(/\+00$/, "Z")));
    for (let i = 1; i < minutes.length; i++) expect(minutes[i]! - minutes[i - 1]!).toBe(60_000);

    const latest = (environment: string) => rows.filter((r) => r.environment === environment).at(-1)!;
    const nacosNow = await servicesApi(consoles[1]!, cookie, NACOS_ENV, NS);
    expect(nacosNow).toEqual({ services: 2, instances: 3, healthy: 1, unhealthy: 2, disabled: 1 });
    expect(latest(NACOS_ENV)).toMatchObject({ namespace: NS, zone: "zone-a", ...nacosNow });
    const zkNow = await servicesApi(consoles[1]!, cookie, ZK_ENV, "");
    expect(zkNow).toEqual({ services: 2, instances: 3, healthy: 2, unhealthy: 1, disabled: 1 });
    expect(latest(ZK_ENV)).toMatchObject({ namespace: "", zone: "zone-b", ...zkNow });

    // The overview API of the site reads the same rows, one zone per environment.
    const overview = await call(consoles[0]!, await signIn(consoles[0]!), `/api/v1/overview?site=ov-${run}&range=1h`);
    expect(overview.status).toBe(200);
    const now = (overview.body.instances as { now: Array<Record<string, unknown>> }).now;
    expect(now.map((z) => z.zone)).toEqual(["zone-a", "zone-b"]);
    expect(now[0]).toMatchObject(nacosNow);
    expect(now[1]).toMatchObject(zkNow);
    // Health settling (Nacos' TCP checks) plus two whole minutes after it: up to about 3.5 minutes.
  }, 300_000);
});
