/**
 * The overview's reads on a real PostgreSQL: registry counts summed per zone only over the
 * namespaces the reader may read, audit figures scoped like the audit list (docs/security.md
 * §16, §42), active gray releases from the configs area's table filtered by config.read, 404
 * for an environment or site outside every grant; and the sampler's lease (one holder at a time,
 * taken over once expired) — what keeps two replicas from both sampling
 * (sampler.integration.test.ts runs it across two console processes).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { isAppError } from "@/lib/errors";
import { getOverview } from "@/lib/overview/overview";
import { acquireLease } from "@/lib/overview/sampler";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { createNacosClient } from "@/lib/nacos/client";

let pg: PostgresFixture;
const admin = actorWithRole("admin");
const viewer = actorWithRole("viewer", { ns: "public" });

async function notFound(p: Promise<unknown>): Promise<void> {
  const e: unknown = await p.then(() => null, (x: unknown) => x);
  expect(isAppError(e) && e.code).toBe("NOT_FOUND");
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("overview");
  setProcessDatabase(pg.handle);
  const registry = { kind: "nacos" as const, url: "http://127.0.0.1:1/nacos", namespaces: ["", "team-b"] };
  await createEnvironment.execute(admin, { name: "ov-a", labels: { site: "hz", zone: "zone-a", tier: "prod" }, registry }, meta());
  await createEnvironment.execute(admin, { name: "ov-b", labels: { site: "hz", zone: "zone-b", tier: "prod" }, registry }, meta());
  // A refused change (environment.admin is not a viewer's): audited `denied`, by the viewer.
  await updateEnvironment.execute(viewer, { name: "ov-a", labels: {}, expectedVersion: 1 }, meta()).catch(() => undefined);
  const ids = await pg.asAdmin(async (c) => (await c.query("SELECT id, name FROM environments")).rows as Array<{ id: string; name: string }>);
  const id = (n: string) => ids.find((r) => r.name === n)!.id;
  await pg.asOwner(async (c) => {
    // Two minutes of samples per environment and namespace; the newest are the "now" counts.
    for (const [env, ns, services] of [["ov-a", "", 10], ["ov-a", "team-b", 100], ["ov-b", "", 20], ["ov-b", "team-b", 200]] as const) {
      for (const [ago, delta] of [[2, 0], [1, 1]] as const) {
        await c.query(
          `INSERT INTO overview_samples (environment_id, namespace, resolution, bucket, zone, services, instances, healthy, unhealthy, disabled, sampled_by)
           VALUES ($1, $2, 'minute', date_trunc('minute', now()) - $3 * interval '1 minute', $4, $5, $6, $7, $8, $9, 'test')`,
          [id(env), ns, ago, env === "ov-a" ? "zone-a" : "zone-b", services + delta, services * 2, services * 2 - 3, 3, 1],
        );
      }
    }
    await c.query(
      `INSERT INTO config_gray_releases (id, environment, namespace, group_name, data_id, type, content, md5, rule, ips, creator_id, creator_name, deadline)
       VALUES ($1, 'ov-a', '', 'DEFAULT_GROUP', 'orders.yaml', 'yaml', 'x', 'm', '{"kind":"ips","ips":["10.0.0.1","10.0.0.2"]}', '["10.0.0.1","10.0.0.2"]', 'u', 'alice', now() + interval '1 hour'),
              ($2, 'ov-a', 'team-b', 'DEFAULT_GROUP', 'secret.yaml', 'yaml', 'x', 'm', '{"kind":"ips","ips":["10.0.0.3"]}', '["10.0.0.3"]', 'u', 'bob', NULL)`,
      [randomUUID(), randomUUID()],
    );
  });
});

afterAll(async () => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

describe("overview reads", () => {
  it("an admin sees every namespace's counts per zone, all audit rows, and every active gray release", async () => {
    const site = await getOverview(admin, { site: "hz", range: "1h" });
    expect(site.scope.environments).toEqual(["ov-a", "ov-b"]);
    expect(site.instances.now).toEqual([
      { zone: "zone-a", environments: ["ov-a"], services: 112, instances: 220, healthy: 214, unhealthy: 6, disabled: 2 },
      { zone: "zone-b", environments: ["ov-b"], services: 222, instances: 440, healthy: 434, unhealthy: 6, disabled: 2 },
    ]);
    expect(site.instances.history.map((z) => [z.zone, z.points.map((p) => p.services)])).toEqual([
      ["zone-a", [110, 112]],
      ["zone-b", [220, 222]],
    ]);
    expect(site.auditScope).toBe("all");
    expect(site.byAction).toEqual(expect.arrayContaining([{ action: "environment.create", count: 2 }, { action: "environment.update", count: 1 }]));
    expect(site.topActors.map((a) => a.actor).sort()).toEqual(["admin-user", "viewer-user"]);
    expect(site.problems.denied).toBe(1);
    expect(site.problems.recent[0]).toMatchObject({ action: "environment.update", actor: "viewer-user", outcome: "denied", environment: "ov-a" });
    expect(site.grayReleases.available).toBe(true);
    expect(site.grayReleases.items.map((g) => [g.dataId, g.grayInstances])).toEqual([
      ["orders.yaml", 2],
      ["secret.yaml", 1],
    ]);
    const one = await getOverview(admin, { environment: "ov-b", range: "24h" });
    expect(one.instances.now.map((z) => z.zone)).toEqual(["zone-b"]);
    expect(one.byAction).toEqual([{ action: "environment.create", count: 1 }]);
  });

  it("a reader scoped to the public namespace: its counts only, its own audit rows, its gray releases", async () => {
    const v = await getOverview(viewer, { environment: "ov-a", range: "1h" });
    expect(v.instances.now).toEqual([{ zone: "zone-a", environments: ["ov-a"], services: 11, instances: 20, healthy: 17, unhealthy: 3, disabled: 1 }]);
    expect(v.auditScope).toBe("own");
    expect(v.byAction).toEqual([{ action: "environment.update", count: 1 }]);
    expect(v.topActors).toEqual([{ actor: "viewer-user", count: 1 }]);
    expect(v.grayReleases.items.map((g) => g.dataId)).toEqual(["orders.yaml"]);
  });

  it("an environment or site outside every grant is not found", async () => {
    const dev = actorWithRole("viewer", { env: "tier=dev" });
    await notFound(getOverview(dev, { environment: "ov-a", range: "1h" }));
    await notFound(getOverview(dev, { site: "hz", range: "1h" }));
    await notFound(getOverview(admin, { site: "nowhere", range: "1h" }));
  });

  it("the sampler's lease: one holder at a time, renewed by it, taken over only once it expired", async () => {
    expect(await acquireLease(pg.handle.db, "replica-a", 60_000)).toBe(true);
    expect(await acquireLease(pg.handle.db, "replica-b", 60_000)).toBe(false);
    expect(await acquireLease(pg.handle.db, "replica-a", 60_000)).toBe(true);
    expect(await acquireLease(pg.handle.db, "replica-b", 60_000)).toBe(false);
    await pg.asOwner((c) => c.query("UPDATE overview_sampler_lease SET expires_at = now() - interval '1 second'"));
    expect(await acquireLease(pg.handle.db, "replica-b", 60_000)).toBe(true);
    expect(await acquireLease(pg.handle.db, "replica-a", 60_000)).toBe(false);
  });

  it("a gray release chosen from a service shows n of m: m is the service's instances in the real Nacos now", async () => {
    const svc = `gray-${randomBytes(3).toString("hex")}`;
    const conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
    const nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password });
    await createEnvironment.execute(admin, { name: "ov-c", labels: { tier: "prod" }, registry: { kind: "nacos", ...conn, namespaces: [""] } }, meta());
    const ports = [7101, 7102, 7103];
    try {
      for (const port of ports) await nacos.registerInstance({ serviceName: svc, ip: "127.0.0.1", port, ephemeral: false });
      await pg.asOwner((c) =>
        c.query(
          `INSERT INTO config_gray_releases (id, environment, namespace, group_name, data_id, type, content, md5, rule, ips, creator_id, creator_name)
           VALUES ($1, 'ov-c', '', 'DEFAULT_GROUP', 'pay.yaml', 'yaml', 'x', 'm', $2, '["127.0.0.1"]', 'u', 'carol')`,
          [randomUUID(), JSON.stringify({ kind: "count", service: svc, serviceGroup: "DEFAULT_GROUP", count: 1 })],
        ),
      );
      let item;
      for (let i = 0; i < 40; i++) {
        item = (await getOverview(admin, { environment: "ov-c", range: "1h" })).grayReleases.items[0];
        if (item?.ofInstances === 3) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(item).toMatchObject({ dataId: "pay.yaml", grayInstances: 1, ofInstances: 3 });
      // An ip list names no service: n only.
      const a = await getOverview(admin, { environment: "ov-a", range: "1h" });
      expect(a.grayReleases.items.map((g) => g.ofInstances)).toEqual([null, null]);
    } finally {
      for (const port of ports) await nacos.deregisterInstance({ serviceName: svc, ip: "127.0.0.1", port, ephemeral: false }).catch(() => undefined);
    }
  });
});
