/**
 * The overview's "objects with validation errors" against the stack's real kube-apiserver and
 * PostgreSQL: VirtualServices that route to a subset no DestinationRule defines (SY-M003), and an
 * HTTPRoute whose backends all weigh 0 (SY-G004), in a namespace of their own, raise the
 * environment's recorded counts for that namespace by exactly their number at the next sampler
 * tick — the same counts the mesh list's badges and the route list's "with errors" filter give —
 * and fixes lower them at the tick after. An environment whose API server refuses, or never answers
 * within the time budget, is recorded as unknown (NULL), never as 0; a tick never records a
 * minute twice.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import type { KubeObjectInput } from "@/lib/k8s/schemas";
import { listRoutes } from "@/lib/gateway/reads";
import { listPolicies } from "@/lib/mesh/policies";
import { getOverview } from "@/lib/overview/overview";
import { downsampleValidation, sampleValidation } from "@/lib/overview/validation-sampler";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const run = randomBytes(4).toString("hex");
const NS = `it-ovval-${run}`;
const ENV = `ovval-${run}`;
const HOST = `ghost-${run}`;
const admin = actorWithRole("admin");
const REPLICA = `it-${run}`;

let pg: PostgresFixture;
let k8s: K8sClient;
let refused: FaultProxy;
let silent: FaultProxy;

function httpRoute(name: string, weight: number): KubeObjectInput {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name },
    spec: { parentRefs: [{ name: `gw-${run}` }], hostnames: [`${name}.${run}.example.com`], rules: [{ backendRefs: [{ name: `svc-${run}`, port: 80, weight }] }] },
  };
}

function brokenVirtualService(name: string): KubeObjectInput {
  return { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name }, spec: { hosts: [HOST], http: [{ route: [{ destination: { host: HOST, subset: "v9" } }] }] } };
}

interface Stored {
  environment: string;
  namespace: string;
  bucket: string;
  errors: number | null;
  warnings: number | null;
}

async function stored(bucket: string, area: "mesh" | "gateway" = "mesh"): Promise<Stored[]> {
  const r = await pg.asAdmin((c) =>
    c.query(
      `SELECT e.name AS environment, s.namespace, s.bucket::text AS bucket, s.errors, s.warnings FROM overview_validation_samples s JOIN environments e ON e.id = s.environment_id
       WHERE s.area = $2 AND s.bucket = $1::timestamptz ORDER BY e.name, s.namespace`,
      [bucket, area],
    ),
  );
  return r.rows as Stored[];
}

/** Two distinct minutes in the recent past, as the sampler would name them. */
const minute = (ago: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - ago * 60_000).toISOString();
const T0 = minute(3);
const T1 = minute(2);
const T2 = minute(1);

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  process.env.SWITCHYARD_OVERVIEW_VALIDATION_BUDGET_MS = "2000";
  pg = await freshPostgres("ovval");
  setProcessDatabase(pg.handle);
  const apiUrl = peerEnv("k8s", "K8S_URL");
  const caPem = fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8");
  const clientCertPem = fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8");
  const clientKeyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  k8s = createK8sClient({ environment: "it", apiUrl, caPem, clientCertPem, clientKeyPem, timeoutMs: 15_000 });
  const api = new URL(apiUrl);
  refused = await startFaultProxy({ host: api.hostname, port: Number(api.port) }, "refuse");
  silent = await startFaultProxy({ host: api.hostname, port: Number(api.port) }, "blackhole");
  const kubernetes = (url: string) => ({ apiUrl: url, caPem, auth: "client-certificate" as const, clientCertPem, clientKeyPem });
  await createEnvironment.execute(admin, { name: ENV, labels: { tier: "dev", zone: "zone-v" }, kubernetes: kubernetes(apiUrl) }, meta());
  await createEnvironment.execute(admin, { name: `${ENV}-refused`, labels: { tier: "dev" }, kubernetes: kubernetes(refused.url("https")) }, meta());
  await createEnvironment.execute(admin, { name: `${ENV}-silent`, labels: { tier: "dev" }, kubernetes: kubernetes(silent.url("https")) }, meta());
});

afterAll(async () => {
  if (k8s) {
    for (const kind of ["VirtualService", "DestinationRule", "HTTPRoute"] as const) for (const item of (await k8s.list(kind, NS).catch(() => ({ items: [] }))).items) await k8s.delete(kind, NS, item.metadata.name).catch(() => undefined);
    k8s.close();
  }
  await refused?.close();
  await silent?.close();
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  delete process.env.SWITCHYARD_OVERVIEW_VALIDATION_BUDGET_MS;
  await pg?.drop();
});

describe("objects with validation errors, sampled from the real API server", () => {
  it("a tick before anything is broken records the namespace clean; a down or silent API server is unknown, not 0", async () => {
    expect(await sampleValidation(pg.handle.db, REPLICA, T0)).toBe(3);
    const rows = await stored(T0);
    for (const area of ["mesh", "gateway"] as const) {
      const r = await stored(T0, area);
      expect(r.filter((x) => x.namespace === "")).toEqual([
        expect.objectContaining({ environment: ENV, errors: 0, warnings: 0 }),
        expect.objectContaining({ environment: `${ENV}-refused`, errors: null, warnings: null }),
        expect.objectContaining({ environment: `${ENV}-silent`, errors: null, warnings: null }),
      ]);
      expect(r.find((x) => x.namespace === NS)).toBeUndefined();
    }
    // The same minute again records nothing twice.
    expect(await sampleValidation(pg.handle.db, REPLICA, T0)).toBe(0);
    expect(await stored(T0)).toHaveLength(rows.length);
  });

  it("two VirtualServices routing to an undefined subset and a weightless HTTPRoute: the next tick counts exactly 2 mesh and 1 gateway errors in their namespace, as the lists do", async () => {
    await k8s.create("VirtualService", NS, brokenVirtualService("broken-a"));
    await k8s.create("VirtualService", NS, brokenVirtualService("broken-b"));
    await k8s.create("HTTPRoute", NS, httpRoute("weightless", 0));
    await sampleValidation(pg.handle.db, REPLICA, T1);
    const mine = (await stored(T1)).find((r) => r.environment === ENV && r.namespace === NS);
    expect(mine).toMatchObject({ errors: 2 });
    const list = await listPolicies(admin, ENV, { namespace: NS });
    expect(list.counts.error).toBe(2);
    expect(mine!.warnings).toBe(list.counts.warning);
    // The overview shows it: the environment's newest sample, with the namespace to link to.
    const view = await getOverview(admin, { environment: ENV, range: "1h" });
    const now = view.validation.now.find((v) => v.environment === ENV)!;
    expect(now.mesh.sampledAt).toBe(T1);
    expect(now.zone).toBe("zone-v");
    expect(now.mesh.namespaces.find((n) => n.namespace === NS)).toEqual({ namespace: NS, errors: 2, warnings: list.counts.warning });
    // The gateway: the weightless HTTPRoute, and only it, as the route list's "with errors" filter finds it.
    expect((await stored(T1, "gateway")).find((r) => r.environment === ENV && r.namespace === NS)).toMatchObject({ errors: 1, warnings: 0 });
    const withErrors = await listRoutes(admin, ENV, { namespace: NS, issues: "error", page: 1, pageSize: 50 });
    expect(withErrors.items.map((r) => `${r.type} ${r.namespace}/${r.name}`)).toEqual([`HTTPRoute ${NS}/weightless`]);
    expect(now.gateway.namespaces.find((n) => n.namespace === NS)).toEqual({ namespace: NS, errors: 1, warnings: 0 });
    // The trend holds both ticks, a minute apart in the 1 h range; the broken one counts at least these 2.
    const points = view.validation.history.find((h) => h.environment === ENV && h.area === "mesh")!.points;
    expect(points.map((p) => p.t)).toEqual(expect.arrayContaining([T0, T1]));
    expect(points.find((p) => p.t === T1)!.errors).toBeGreaterThanOrEqual(2);
  });

  it("SECURITY 16: a reader scoped to other namespaces does not see the namespace's count", async () => {
    const view = await getOverview(actorWithRole("viewer", { ns: "team-*" }), { environment: ENV, range: "1h" });
    const now = view.validation.now.find((v) => v.environment === ENV)!;
    expect(now.mesh.namespaces.find((n) => n.namespace === NS)).toBeUndefined();
    expect(now.gateway.namespaces.find((n) => n.namespace === NS)).toBeUndefined();
  });

  it("the fixes — a DestinationRule that defines the subset, a weight — bring the namespace back to 0 errors at the next tick", async () => {
    await k8s.create("DestinationRule", NS, { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "ghost" }, spec: { host: HOST, subsets: [{ name: "v9", labels: { version: "v9" } }] } });
    await k8s.delete("HTTPRoute", NS, "weightless");
    await k8s.create("HTTPRoute", NS, httpRoute("weightless", 1));
    await sampleValidation(pg.handle.db, REPLICA, T2);
    expect((await stored(T2, "gateway")).find((r) => r.environment === ENV && r.namespace === NS)?.errors ?? 0).toBe(0);
    expect((await listRoutes(admin, ENV, { namespace: NS, issues: "error", page: 1, pageSize: 50 })).items).toEqual([]);
    const mine = (await stored(T2)).find((r) => r.environment === ENV && r.namespace === NS);
    expect(mine?.errors ?? 0).toBe(0);
    expect((await listPolicies(admin, ENV, { namespace: NS })).counts.error).toBe(0);
    const now = (await getOverview(admin, { environment: ENV, range: "1h" })).validation.now.find((v) => v.environment === ENV)!;
    expect(now.mesh.sampledAt).toBe(T2);
    expect(now.mesh.namespaces.find((n) => n.namespace === NS)?.errors ?? 0).toBe(0);
    expect(now.gateway.namespaces.find((n) => n.namespace === NS)?.errors ?? 0).toBe(0);
    const unknown = (await getOverview(admin, { environment: `${ENV}-refused`, range: "1h" })).validation.now[0]!;
    expect(unknown).toMatchObject({ environment: `${ENV}-refused`, mesh: { errors: null, warnings: null }, gateway: { errors: null, warnings: null } });
  });

  it("downsampling: minutes older than 24 h become their hour's last sample, whole; hours older than 30 days go", async () => {
    const { id } = (await pg.asAdmin((c) => c.query("SELECT id FROM environments WHERE name = $1", [ENV]))).rows[0] as { id: string };
    const hour = new Date(Math.floor((Date.now() - 30 * 3_600_000) / 3_600_000) * 3_600_000);
    const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000).toISOString();
    const old = new Date(Math.floor((Date.now() - 31 * 86_400_000) / 3_600_000) * 3_600_000).toISOString();
    const insert = (namespace: string, resolution: string, bucket: string, errors: number | null) =>
      pg.asAdmin((c) =>
        c.query(
          `INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by) VALUES ($1, 'mesh', $2, $3, $4::timestamptz, $5, $5, 'it')`,
          [id, namespace, resolution, bucket, errors],
        ),
      );
    // 10:05 had errors in two namespaces; 10:40, the hour's last sample, in one.
    await insert("", "minute", at(5), 0);
    await insert("ns-a", "minute", at(5), 3);
    await insert("ns-b", "minute", at(5), 1);
    await insert("", "minute", at(40), 0);
    await insert("ns-a", "minute", at(40), 2);
    await insert("", "hour", old, 0);
    await downsampleValidation(pg.handle.db, REPLICA);
    const rows = (
      await pg.asAdmin((c) =>
        c.query(`SELECT namespace, resolution, bucket, errors FROM overview_validation_samples WHERE environment_id = $1 AND area = 'mesh' AND bucket < now() - interval '24 hours' ORDER BY bucket, namespace`, [id]),
      )
    ).rows as Array<{ namespace: string; resolution: string; bucket: Date; errors: number | null }>;
    expect(rows.map((r) => [r.namespace, r.resolution, new Date(r.bucket).toISOString(), r.errors])).toEqual([
      ["", "hour", hour.toISOString(), 0],
      ["ns-a", "hour", hour.toISOString(), 2],
    ]);
  });

  it("a 24 h chart shows per hour the newest sample that could judge, and unknown only when none could", async () => {
    const { id } = (await pg.asAdmin((c) => c.query("SELECT id FROM environments WHERE name = $1", [ENV]))).rows[0] as { id: string };
    const hourAgo = (n: number) => new Date(Math.floor((Date.now() - n * 3_600_000) / 3_600_000) * 3_600_000);
    const judged = hourAgo(3);
    const blind = hourAgo(5);
    const at = (hour: Date, minutes: number) => new Date(hour.getTime() + minutes * 60_000).toISOString();
    const insert = (namespace: string, bucket: string, errors: number | null) =>
      pg.asAdmin((c) =>
        c.query(
          `INSERT INTO overview_validation_samples (environment_id, area, namespace, resolution, bucket, errors, warnings, sampled_by) VALUES ($1, 'mesh', $2, 'minute', $3::timestamptz, $4, $4, 'it')`,
          [id, namespace, bucket, errors],
        ),
      );
    // :05 judged 4 errors, :20 judged 6 (the newest known), :50 could not judge.
    await insert("", at(judged, 5), 0);
    await insert("ns-a", at(judged, 5), 4);
    await insert("", at(judged, 20), 0);
    await insert("ns-a", at(judged, 20), 6);
    await insert("", at(judged, 50), null);
    // An hour in which no sample could judge.
    await insert("", at(blind, 10), null);
    const view = await getOverview(admin, { environment: ENV, range: "24h" });
    const points = view.validation.history.find((h) => h.environment === ENV && h.area === "mesh")!.points;
    expect(points.find((p) => p.t === judged.toISOString())).toEqual({ t: judged.toISOString(), errors: 6, warnings: 6 });
    expect(points.find((p) => p.t === blind.toISOString())).toEqual({ t: blind.toISOString(), errors: null, warnings: null });
  });
});
