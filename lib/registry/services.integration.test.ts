/**
 * Registry services through the console against the stack's real Nacos: list and search,
 * an audited weight change and disable seen in Nacos itself, and scope (docs/security.md §14).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { getService, listServices } from "@/lib/registry/services";
import { updateInstance } from "@/lib/registry/update-instance";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

let pg: PostgresFixture;
let nacos: NacosClient;
const admin = actorWithRole("admin");
const run = randomBytes(3).toString("hex");
const svc = `orders-${run}`;

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("services");
  setProcessDatabase(pg.handle);
  const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  await createEnvironment.execute(admin, { name: "prod-hz-j", labels: { tier: "prod" }, registry: { kind: "nacos", ...conn, namespaces: [""] } }, meta());
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password });
  for (const port of [8080, 8081]) {
    await nacos.registerInstance({ serviceName: svc, ip: "127.0.0.1", port, weight: 1, ephemeral: false, metadata: { version: "1.0" } });
  }
});
afterAll(async () => {
  for (const port of [8080, 8081]) await nacos?.deregisterInstance({ serviceName: svc, ip: "127.0.0.1", port, ephemeral: false }).catch(() => undefined);
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 160; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  return fn();
}

describe("registry services", () => {
  it("lists and searches services with instance counts", async () => {
    const page = await eventually(() => listServices(admin, "prod-hz-j", { namespace: "", search: run, page: 1, pageSize: 20 }), (p) => p.items.some((s) => s.name === svc && s.instanceCount === 2));
    expect(page.items.find((s) => s.name === svc)).toMatchObject({ instanceCount: 2 });
  });

  it("changes a weight and disables an instance through the console; Nacos itself shows it; audited with before/after", async () => {
    const m = meta();
    await updateInstance.execute(actorWithRole("operator"), { environment: "prod-hz-j", serviceName: svc, ip: "127.0.0.1", port: 8080, weight: 5, expected: { weight: 1 } }, m);
    await updateInstance.execute(actorWithRole("operator"), { environment: "prod-hz-j", serviceName: svc, ip: "127.0.0.1", port: 8081, enabled: false, expected: { enabled: true } }, meta());
    const direct = await eventually(() => nacos.listInstances({ serviceName: svc }), (l) => l.find((i) => i.port === 8080)?.weight === 5 && l.find((i) => i.port === 8081)?.enabled === false);
    expect(direct.find((i) => i.port === 8080)).toMatchObject({ weight: 5, enabled: true });
    expect(direct.find((i) => i.port === 8081)).toMatchObject({ enabled: false });
    const rows = await pg.asAdmin((c) => c.query("SELECT phase, outcome, before, after, environment FROM audit_events WHERE request_id = $1 ORDER BY id", [m.requestId]));
    expect(rows.rows.map((r: { phase: string }) => r.phase)).toEqual(["intent", "outcome"]);
    expect(rows.rows[1]).toMatchObject({ outcome: "succeeded", environment: "prod-hz-j", before: { weight: 1 }, after: { weight: 5 } });
    const detail = await getService(admin, "prod-hz-j", { namespace: "", group: "DEFAULT_GROUP", serviceName: svc });
    expect(detail.instances).toHaveLength(2);
    // Registered from the admin API only: nobody subscribes, and Nacos says so.
    expect(detail.subscribers).toEqual({ total: 0, items: [] });
  });

  it("sorts over the whole namespace and filters services with unhealthy instances", async () => {
    const big = `orders-${run}-big`;
    for (const port of [9101, 9102, 9103]) await nacos.registerInstance({ serviceName: big, ip: "127.0.0.1", port, weight: 1, ephemeral: false });
    try {
      const sorted = await eventually(
        () => listServices(admin, "prod-hz-j", { namespace: "", search: run, page: 1, pageSize: 20, sort: "-instances" }),
        (p) => p.items[0]?.name === big,
      );
      expect(sorted.items.map((x) => x.name)).toEqual([big, svc]);
      expect((await listServices(admin, "prod-hz-j", { namespace: "", search: run, page: 1, pageSize: 20, sort: "name" })).items.map((x) => x.name)).toEqual([svc, big]);
      // Nothing listens on these ports: Nacos' own TCP health check marks them unhealthy.
      const unhealthy = await eventually(
        () => listServices(admin, "prod-hz-j", { namespace: "", search: run, page: 1, pageSize: 20, unhealthy: true }),
        (p) => p.items.length === 2,
      );
      expect(unhealthy.items.every((x) => x.healthyInstanceCount < x.instanceCount)).toBe(true);
    } finally {
      for (const port of [9101, 9102, 9103]) await nacos.deregisterInstance({ serviceName: big, ip: "127.0.0.1", port, ephemeral: false }).catch(() => undefined);
    }
  }, 60_000);

  it("edits instance metadata; Nacos shows the new key, and the audit row the before and after", async () => {
    const m = meta();
    await updateInstance.execute(actorWithRole("operator"), { environment: "prod-hz-j", serviceName: svc, ip: "127.0.0.1", port: 8080, metadata: { canary: "true" }, expected: { metadata: { canary: null } } }, m);
    const direct = await eventually(() => nacos.listInstances({ serviceName: svc }), (l) => l.find((i) => i.port === 8080)?.metadata.canary === "true");
    expect(direct.find((i) => i.port === 8080)?.metadata).toMatchObject({ canary: "true", version: "1.0" });
    const rows = await pg.asAdmin((c) => c.query("SELECT before, after FROM audit_events WHERE request_id = $1 AND phase = 'outcome'", [m.requestId]));
    expect(rows.rows[0].before.metadata.canary).toBeUndefined();
    expect(rows.rows[0].after.metadata).toMatchObject({ canary: "true" });
  });

  it("scope: a developer bound to tier=dev gets 404 for prod, and a viewer gets 403 on writes", async () => {
    const dev = actorWithRole("developer", { env: "tier=dev" });
    await expect(listServices(dev, "prod-hz-j", { namespace: "", page: 1, pageSize: 20 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateInstance.execute(dev, { environment: "prod-hz-j", serviceName: svc, ip: "127.0.0.1", port: 8080, weight: 9, expected: { weight: 5 } }, meta())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateInstance.execute(actorWithRole("viewer"), { environment: "prod-hz-j", serviceName: svc, ip: "127.0.0.1", port: 8080, weight: 9, expected: { weight: 5 } }, meta())).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await nacos.listInstances({ serviceName: svc })).find((i) => i.port === 8080)?.weight).toBe(5);
  });
});
