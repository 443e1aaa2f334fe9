/**
 * The gateway area against the stack's real API server (Gateway API, Istio and Higress CRDs),
 * the real Nacos (a site of two zones, each its own namespace) and a real PostgreSQL: Gateways
 * and HTTPRoutes created, edited and deleted with weights; a stale write → 409 with the object
 * unchanged; route status as the API server holds it; each SY-G check failing and passing;
 * McpBridge registries for the site's zones; per-zone backend counts matching Nacos; disabling
 * every instance of zone j through the console fires "no healthy backend in zone j"; drain j →
 * weights to k, restore; canary steps with their weights, revisions, audit rows and hold time;
 * a viewer refused and audited.
 */
import fs from "node:fs";
import https from "node:https";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { AppError } from "@/lib/errors";
import { applyObject } from "@/lib/gateway/apply-object";
import { deleteObject } from "@/lib/gateway/delete-object";
import { drainZone } from "@/lib/gateway/drain-zone";
import { registryHost } from "@/lib/gateway/model/registries";
import { routeToObject, type RouteModel } from "@/lib/gateway/model/route-model";
import { writeTrafficState, type TrafficState } from "@/lib/gateway/model/traffic";
import { getRegistries, getRoute, listGateways, listRoutes, routeMap } from "@/lib/gateway/reads";
import { restoreZone } from "@/lib/gateway/restore-zone";
import { siteServiceHealth } from "@/lib/gateway/sites";
import { stepCanary } from "@/lib/gateway/step-canary";
import { updateRegistries } from "@/lib/gateway/update-registries";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { updateInstance } from "@/lib/registry/update-instance";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const run = randomBytes(4).toString("hex");
const ns = `it-gw-${run}`;
const other = `it-gw-b-${run}`;
const higress = `it-gw-h-${run}`;
const SITE = `gws-${run}`;
const ENV = `gw-${run}`;
const nsJ = `it-gwz-j-${run}`;
const nsK = `it-gwz-k-${run}`;
const svc = `orders-${run}`;
const admin = actorWithRole("admin");
const operator = actorWithRole("operator");
const viewer = actorWithRole("viewer");

let pg: PostgresFixture;
let k8s: K8sClient;
let nacos: NacosClient;
let conn: { url: string; username: string; password: string };
let tls: { ca: string; cert: string; key: string; url: URL };
const registered: Array<{ namespace: string; ip: string; port: number }> = [];

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the call to fail");
}

async function auditRows(requestId: string) {
  const r = await pg.asAdmin((c) => c.query("SELECT action, phase, outcome, target_kind, target_name, before, after, detail FROM audit_events WHERE request_id = $1 ORDER BY id", [requestId]));
  return r.rows as Array<{ action: string; phase: string; outcome: string | null; target_kind: string; target_name: string; before: unknown; after: unknown; detail: Record<string, unknown> }>;
}

async function revisionCount(kind: string, name: string): Promise<number> {
  const r = await pg.asAdmin((c) => c.query("SELECT count(*)::int AS n FROM kube_object_revisions WHERE environment = $1 AND kind = $2 AND namespace = $3 AND name = $4 AND operation <> 'observed'", [ENV, kind, ns, name]));
  return (r.rows[0] as { n: number }).n;
}

/** Writes an object's status subresource, as a gateway controller would (the stack runs none). */
function putStatus(plural: string, name: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      { host: tls.url.hostname, port: Number(tls.url.port), method: "PUT", path: `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/${plural}/${name}/status`, ca: tls.ca, cert: tls.cert, key: tls.key, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const gateway = (listenerHost: string) => ({
  metadata: { name: "edge" },
  spec: { gatewayClassName: "higress", listeners: [{ name: "http", hostname: listenerHost, port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }] },
});

function route(name: string, over: Partial<RouteModel> = {}, rule: Partial<RouteModel["rules"][number]> = {}): RouteModel {
  return {
    name,
    namespace: ns,
    parents: [{ name: "edge" }],
    hostnames: ["shop.example.com"],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: `/${name}` }, headers: [], queryParams: [] }],
        filters: [],
        backends: [
          { group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 90 },
          { group: "", kind: "Service", name: "shop-v2", port: 8080, weight: 10 },
        ],
        ...rule,
      },
    ],
    ...over,
  };
}

const apply = (actor: typeof admin, m: RouteModel, resourceVersion: string | null, md = meta()) =>
  applyObject.execute(actor, { environment: ENV, kind: "HTTPRoute", namespace: m.namespace, name: m.name, object: routeToObject(m), resourceVersion }, md);

const weightsOf = async (name: string) => {
  const o = await k8s.get("HTTPRoute", ns, name);
  return Object.fromEntries(((o!.spec as { rules: Array<{ backendRefs: Array<{ name: string; weight: number }> }> }).rules[0]!.backendRefs).map((b) => [b.name, b.weight]));
};

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("gateway");
  setProcessDatabase(pg.handle);
  const apiUrl = peerEnv("k8s", "K8S_URL");
  tls = { url: new URL(apiUrl), ca: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"), cert: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"), key: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8") };
  k8s = createK8sClient({ environment: "it", apiUrl, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key, timeoutMs: 15_000 });
  conn = { url: peerEnv("nacos", "NACOS_URL"), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD") };
  nacos = createNacosClient({ environment: "direct", baseUrl: conn.url, username: conn.username, password: conn.password, timeoutMs: 15_000 });
  await nacos.createNamespace({ id: nsJ, name: `gw zone j ${run}`, description: "gateway integration test" });
  await nacos.createNamespace({ id: nsK, name: `gw zone k ${run}`, description: "gateway integration test" });
  await createEnvironment.execute(admin, { name: ENV, labels: { tier: "prod", site: SITE }, kubernetes: { apiUrl, caPem: tls.ca, auth: "client-certificate", clientCertPem: tls.cert, clientKeyPem: tls.key } }, meta());
  await createEnvironment.execute(admin, { name: `${ENV}-j`, labels: { tier: "prod", site: SITE, zone: "j" }, registry: { kind: "nacos", ...conn, namespaces: [nsJ] } }, meta());
  await createEnvironment.execute(admin, { name: `${ENV}-k`, labels: { tier: "prod", site: SITE, zone: "k" }, registry: { kind: "nacos", ...conn, namespaces: [nsK] } }, meta());
  // Nothing listens on these addresses: Nacos' health check of the cluster is turned off (NONE), so
  // the instances keep the health they are registered with, whatever the test's timing.
  const login = await fetch(`${conn.url}/v3/auth/user/login`, { method: "POST", body: new URLSearchParams({ username: conn.username, password: conn.password }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  for (const [namespace, ips] of [[nsJ, ["10.1.0.1", "10.1.0.2"]], [nsK, ["10.2.0.1", "10.2.0.2", "10.2.0.3"]]] as const) {
    for (const ip of ips) {
      registered.push({ namespace, ip, port: 8080 });
      await nacos.registerInstance({ namespace, serviceName: svc, ip, port: 8080, weight: 1, ephemeral: false });
      const q = new URLSearchParams({ namespaceId: namespace, groupName: "DEFAULT_GROUP", serviceName: svc, clusterName: "DEFAULT", checkPort: "1", useInstancePort4Check: "true", healthChecker: JSON.stringify({ type: "NONE" }) });
      const res = await fetch(`${conn.url}/v3/admin/ns/cluster?${q}`, { method: "PUT", headers: { accessToken: token } });
      expect(res.ok, await res.text()).toBe(true);
    }
  }
  await applyObject.execute(admin, { environment: ENV, kind: "Gateway", namespace: ns, name: "edge", object: gateway("*.example.com"), resourceVersion: null }, meta());
});

afterAll(async () => {
  if (k8s) {
    for (const kind of ["HTTPRoute", "GRPCRoute", "Gateway", "IstioGateway", "VirtualService", "ReferenceGrant"] as const) {
      for (const n of [ns, other]) for (const item of (await k8s.list(kind, n).catch(() => ({ items: [] }))).items) await k8s.delete(kind, n, item.metadata.name).catch(() => undefined);
    }
    await k8s.delete("McpBridge", higress, "default").catch(() => undefined);
    k8s.close();
  }
  if (nacos) for (const r of registered) await nacos.deregisterInstance({ ...r, serviceName: svc, ephemeral: false }).catch(() => undefined);
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await pg?.drop();
});

describe("gateways and routes", () => {
  it("creates, edits and deletes a Gateway and an HTTPRoute with weights; lists them with listeners and status", async () => {
    const gws = await listGateways(operator, ENV, { namespace: ns });
    expect(gws).toEqual([expect.objectContaining({ type: "Gateway", name: "edge", className: "higress", listeners: [expect.objectContaining({ name: "http", hostname: "*.example.com", port: 80, protocol: "HTTP" })] })]);

    const created = await apply(operator, route("crud"), null);
    expect(created).toMatchObject({ created: true, revision: 1 });
    expect(await weightsOf("crud")).toEqual({ "shop-v1": 90, "shop-v2": 10 });

    // The stored object reopens unchanged in the editor model.
    const detail = await getRoute(operator, ENV, ns, "crud");
    expect(detail.model).toEqual(route("crud"));

    const edited = await apply(operator, route("crud", {}, { backends: [{ group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 50 }, { group: "", kind: "Service", name: "shop-v2", port: 8080, weight: 50 }] }), created.object!.metadata.resourceVersion);
    expect(edited).toMatchObject({ created: false, revision: 2 });
    expect(await weightsOf("crud")).toEqual({ "shop-v1": 50, "shop-v2": 50 });

    // A controller's status is what the list shows.
    const live = await k8s.get("HTTPRoute", ns, "crud");
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const cond = (type: string, status: string) => ({ type, status, reason: status === "True" ? type : "Pending", message: "", lastTransitionTime: now, observedGeneration: 1 });
    expect(await putStatus("httproutes", "crud", { ...live, status: { parents: [{ parentRef: { name: "edge" }, controllerName: "higress.io/gateway-controller", conditions: [cond("Accepted", "True"), cond("ResolvedRefs", "False")] }] } })).toBe(200);
    const page = await listRoutes(operator, ENV, { namespace: ns, search: "crud", page: 1, pageSize: 50 });
    expect(page.items).toEqual([expect.objectContaining({ type: "HTTPRoute", name: "crud", hostnames: ["shop.example.com"], parents: [`${ns}/edge`], status: [expect.objectContaining({ parent: `${ns}/edge`, accepted: "True", resolvedRefs: "False" })] })]);
    expect(page.items[0]!.rules[0]!.backends.map((b) => b.weight)).toEqual([50, 50]);

    const rv = (await k8s.get("HTTPRoute", ns, "crud"))!.metadata.resourceVersion;
    const m = meta();
    await deleteObject.execute(operator, { environment: ENV, kind: "HTTPRoute", namespace: ns, name: "crud", resourceVersion: rv }, m);
    expect(await k8s.get("HTTPRoute", ns, "crud")).toBeNull();
    expect((await auditRows(m.requestId)).map((r) => [r.action, r.phase, r.outcome])).toEqual([["gateway.route.delete", "intent", null], ["gateway.route.delete", "outcome", "succeeded"]]);
  });

  it("a write based on a stale resourceVersion → 409 naming Kubernetes; the route is unchanged", async () => {
    const created = await apply(operator, route("stale"), null);
    const rv1 = created.object!.metadata.resourceVersion;
    await apply(admin, route("stale", {}, { backends: [{ group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 70 }, { group: "", kind: "Service", name: "shop-v2", port: 8080, weight: 30 }] }), rv1);
    const m = meta();
    const e = await rejection(apply(operator, route("stale", {}, { backends: [{ group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 1 }, { group: "", kind: "Service", name: "shop-v2", port: 8080, weight: 99 }] }), rv1, m));
    expect(e.code).toBe("CONFLICT");
    expect(e.details).toMatchObject({ system: "kubernetes", liveResourceVersion: expect.any(String) });
    expect(await weightsOf("stale")).toEqual({ "shop-v1": 70, "shop-v2": 30 });
    expect((await auditRows(m.requestId)).at(-1)!.outcome).toBe("conflict");
  });
});

describe("checks before apply (SY-G…)", () => {
  const ruleIds = (e: AppError) => ((e.details as { issues: Array<{ ruleId: string; messageZh: string }> }).issues ?? []).map((i) => i.ruleId);

  it("SY-G001: the same parent, hostname and match as another HTTPRoute or a gateway-bound VirtualService is refused; another path passes", async () => {
    await apply(operator, route("first", {}, { matches: [{ path: { type: "PathPrefix", value: "/same" }, headers: [{ type: "Exact", name: "x-canary", value: "1" }], queryParams: [] }] }), null);
    const clash = await rejection(apply(operator, route("second", {}, { matches: [{ path: { type: "PathPrefix", value: "/same" }, headers: [{ type: "Exact", name: "X-Canary", value: "1" }], queryParams: [] }] }), null));
    expect(clash.status).toBe(422);
    expect(ruleIds(clash)).toEqual(["SY-G001"]);
    expect(await k8s.get("HTTPRoute", ns, "second")).toBeNull();
    await apply(operator, route("second", {}, { matches: [{ path: { type: "PathPrefix", value: "/other" }, headers: [], queryParams: [] }] }), null);

    await k8s.create("VirtualService", ns, { metadata: { name: "legacy" }, spec: { hosts: ["shop.example.com"], gateways: [`${ns}/edge`], http: [{ match: [{ uri: { prefix: "/legacy" } }], route: [{ destination: { host: "legacy" } }] }] } });
    const vsClash = await rejection(apply(operator, route("third", {}, { matches: [{ path: { type: "PathPrefix", value: "/legacy" }, headers: [], queryParams: [] }] }), null));
    expect(ruleIds(vsClash)).toEqual(["SY-G001"]);
    expect(JSON.stringify(vsClash.details)).toContain(`VirtualService ${ns}/legacy`);
    const list = await listRoutes(operator, ENV, { namespace: ns, type: "VirtualService", page: 1, pageSize: 50 });
    expect(list.items).toEqual([expect.objectContaining({ type: "VirtualService", name: "legacy", readOnly: true, parents: [`${ns}/edge`] })]);
  });

  it("SY-G001 against a route the writer may not read names neither its namespace nor its name", async () => {
    // A route in `other` claims the same match; the writer is bound to `ns` only.
    await apply(admin, { ...route("hidden-owner", { parents: [{ name: "edge", namespace: ns }] }, { matches: [{ path: { type: "PathPrefix", value: "/secret" }, headers: [], queryParams: [] }] }), namespace: other }, null);
    const scoped = actorWithRole("operator", { ns });
    const e = await rejection(apply(scoped, route("probe", {}, { matches: [{ path: { type: "PathPrefix", value: "/secret" }, headers: [], queryParams: [] }] }), null));
    expect(ruleIds(e)).toEqual(["SY-G001"]);
    const text = JSON.stringify(e.details);
    expect(text).toContain("(hidden)");
    expect(text).not.toContain("hidden-owner");
    expect(text).not.toContain(other);
  });

  it("GRPCRoutes are listed read-only, Istio Gateways beside Gateway API ones", async () => {
    await k8s.create("GRPCRoute", ns, { metadata: { name: "rpc" }, spec: { parentRefs: [{ name: "edge" }], hostnames: ["rpc.example.com"], rules: [{ matches: [{ method: { service: "shop.Orders", method: "Get" } }], backendRefs: [{ name: "orders-grpc", port: 9090 }] }] } });
    await k8s.create("IstioGateway", ns, { metadata: { name: "legacy-gw" }, spec: { selector: { istio: "ingressgateway" }, servers: [{ port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["legacy.example.com"], tls: { mode: "SIMPLE", credentialName: "legacy-cert" } }] } });
    const grpc = await listRoutes(operator, ENV, { namespace: ns, type: "GRPCRoute", page: 1, pageSize: 10 });
    expect(grpc.items).toEqual([expect.objectContaining({ type: "GRPCRoute", name: "rpc", readOnly: true, hostnames: ["rpc.example.com"], rules: [expect.objectContaining({ matches: ["=/shop.Orders/Get"] })] })]);
    const gws = await listGateways(operator, ENV, { namespace: ns });
    expect(gws.find((g) => g.type === "IstioGateway")).toMatchObject({ name: "legacy-gw", listeners: [{ name: "https", hostname: "legacy.example.com", port: 443, protocol: "HTTPS", tlsCertificateRefs: [`Secret ${ns}/legacy-cert`] }] });
  });

  it("SY-G003: a hostname no listener serves is refused; a served one passes", async () => {
    const e = await rejection(apply(operator, route("hosts", { hostnames: ["shop.other.org"] }), null));
    expect(ruleIds(e)).toEqual(["SY-G003"]);
    await apply(operator, route("hosts", { hostnames: ["api.example.com"] }), null);
  });

  it("SY-G004: a rule whose backends all weigh 0 is refused; weight 1 passes", async () => {
    const zero = { backends: [{ group: "", kind: "Service", name: "shop-v1", port: 8080, weight: 0 }] };
    const e = await rejection(apply(operator, route("zero", {}, zero), null));
    expect(ruleIds(e)).toEqual(["SY-G004"]);
    await apply(operator, route("zero", {}, { backends: [{ ...zero.backends[0]!, weight: 1 }] }), null);
  });

  it("SY-G005: a backend in another namespace without a ReferenceGrant is refused; with one it passes", async () => {
    const cross = { backends: [{ group: "", kind: "Service", name: "billing", namespace: other, port: 8080, weight: 1 }] };
    const e = await rejection(apply(operator, route("cross", {}, cross), null));
    expect(ruleIds(e)).toEqual(["SY-G005"]);
    await k8s.create("ReferenceGrant", other, { metadata: { name: "from-gw" }, spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: ns }], to: [{ group: "", kind: "Service" }] } });
    await apply(operator, route("cross", {}, cross), null);
  });

  it("a schema-invalid route (YAML) → 422 at its path and line", async () => {
    const yaml = ["apiVersion: gateway.networking.k8s.io/v1", "kind: HTTPRoute", "metadata:", "  name: bad", "spec:", "  parentRefs:", "  - name: edge", "  rules:", "  - backendRefs:", "    - name: shop-v1", "      port: 8080", "      weight: many"].join("\n");
    const e = await rejection(applyObject.execute(operator, { environment: ENV, kind: "HTTPRoute", namespace: ns, name: "bad", yaml, resourceVersion: null }, meta()));
    expect(e.status).toBe(422);
    const issue = (e.details as { issues: Array<{ path: string; line?: number }> }).issues[0]!;
    expect(issue.path).toContain("weight");
    expect(issue.line).toBe(12);
  });
});

describe("a site of two zones behind the gateway", () => {
  const hostJ = registryHost("nacos", svc, "DEFAULT_GROUP", nsJ);
  const hostK = registryHost("nacos", svc, "DEFAULT_GROUP", nsK);
  const siteRoute = (): RouteModel => {
    const state: TrafficState = { v: 1, siteBackends: [{ rule: 0, site: SITE, service: svc, group: "DEFAULT_GROUP", zones: { j: hostJ, k: hostK } }], drained: [] };
    return route("orders", { annotations: writeTrafficState({}, state) }, {
      backends: [
        { group: "networking.istio.io", kind: "Hostname", name: hostJ, port: 8080, weight: 50 },
        { group: "networking.istio.io", kind: "Hostname", name: hostK, port: 8080, weight: 50 },
      ],
    });
  };

  it("the McpBridge gets one registry per zone (its Nacos namespace, no credential), other registries kept", async () => {
    await k8s.create("McpBridge", higress, { metadata: { name: "default" }, spec: { registries: [{ name: "theirs", type: "static", domain: "10.9.9.9:80", port: 80 }] } });
    const before = await getRegistries(operator, ENV, { namespace: higress });
    expect(before.zones.map((z) => [z.zone, z.registry.nacosNamespaceId])).toEqual([["j", nsJ], ["k", nsK]]);
    const m = meta();
    await updateRegistries.execute(operator, { environment: ENV, namespace: higress, add: ["j", "k"], resourceVersion: before.resourceVersion }, m);
    const bridge = await k8s.get("McpBridge", higress, "default");
    const regs = (bridge!.spec as { registries: Array<Record<string, unknown>> }).registries;
    expect(regs.map((r) => [r.name, r.type, r.nacosNamespaceId ?? null])).toEqual([["theirs", "static", null], ["sy-j", "nacos2", nsJ], ["sy-k", "nacos2", nsK]]);
    expect(JSON.stringify(regs)).not.toContain(conn.password);
    expect((await auditRows(m.requestId)).at(-1)).toMatchObject({ action: "gateway.route.write", outcome: "succeeded", target_kind: "McpBridge" });
    const stale = await rejection(updateRegistries.execute(operator, { environment: ENV, namespace: higress, remove: ["sy-k"], resourceVersion: before.resourceVersion }, meta()));
    expect(stale.code).toBe("CONFLICT");
  });

  it("the backend view shows per-zone counts that match each zone's Nacos", async () => {
    const zones = await siteServiceHealth(operator, SITE, svc, "DEFAULT_GROUP");
    expect(zones.map((z) => [z.zone, z.host, z.health])).toEqual([
      ["j", hostJ, { healthy: 2, total: 2 }],
      ["k", hostK, { healthy: 3, total: 3 }],
    ]);
    for (const [namespace, z] of [[nsJ, zones[0]!], [nsK, zones[1]!]] as const) {
      const inNacos = await nacos.listInstances({ namespace, serviceName: svc });
      expect(z.health!.total).toBe(inNacos.length);
    }
  });

  it("disabling every instance of zone j through the console fires 'no healthy backend in zone j'; drain j moves its weight to k; restore gives it back", async () => {
    const created = await apply(operator, siteRoute(), null);
    expect((await getRoute(operator, ENV, ns, "orders")).issues.filter((i) => i.ruleId === "SY-G002")).toEqual([]);

    for (const ip of ["10.1.0.1", "10.1.0.2"]) {
      await updateInstance.execute(operator, { environment: `${ENV}-j`, namespace: nsJ, serviceName: svc, ip, port: 8080, enabled: false, expected: { enabled: true } }, meta());
    }
    const detail = await getRoute(operator, ENV, ns, "orders");
    const g002 = detail.issues.filter((i) => i.ruleId === "SY-G002");
    expect(g002).toHaveLength(1);
    expect(g002[0]!.message).toMatch(/no healthy backend in zone j/);
    expect(g002[0]!.messageZh).toMatch(/可用区 j 没有健康的后端/);
    expect(detail.siteBackends[0]!.zones.map((z) => [z.zone, z.health])).toEqual([["j", { healthy: 0, total: 2 }], ["k", { healthy: 3, total: 3 }]]);

    const rv = created.object!.metadata.resourceVersion;
    const revs = await revisionCount("HTTPRoute", "orders");
    const md = meta();
    const drained = await drainZone.execute(operator, { environment: ENV, namespace: ns, name: "orders", zone: "j", resourceVersion: rv }, md);
    expect(await weightsOf("orders")).toEqual({ [hostJ]: 0, [hostK]: 100 });
    expect(drained.weights).toEqual([{ rule: 0, before: { [hostJ]: 50, [hostK]: 50 }, after: { [hostJ]: 0, [hostK]: 100 } }]);
    expect(await revisionCount("HTTPRoute", "orders")).toBe(revs + 1);
    const rows = await auditRows(md.requestId);
    expect(rows.map((r) => [r.action, r.phase, r.outcome])).toEqual([["gateway.route.write", "intent", null], ["gateway.route.write", "outcome", "succeeded"]]);
    expect(rows[1]!.detail).toMatchObject({ zone: "j", step: "drain" });
    // Drained, zone j takes no traffic: the check is quiet.
    expect((await getRoute(operator, ENV, ns, "orders")).issues.filter((i) => i.ruleId === "SY-G002")).toEqual([]);
    const map = await routeMap(operator, ENV, { namespace: ns, search: "orders" });
    expect(map.gateways[0]!.routes[0]).toMatchObject({ name: "orders", drained: ["j"] });

    // A stale drain/restore is refused and changes nothing.
    const stale = await rejection(restoreZone.execute(operator, { environment: ENV, namespace: ns, name: "orders", zone: "j", resourceVersion: rv }, meta()));
    expect(stale.code).toBe("CONFLICT");

    const mr = meta();
    await restoreZone.execute(operator, { environment: ENV, namespace: ns, name: "orders", zone: "j", resourceVersion: drained.route.resourceVersion! }, mr);
    expect(await weightsOf("orders")).toEqual({ [hostJ]: 50, [hostK]: 50 });
    expect(await revisionCount("HTTPRoute", "orders")).toBe(revs + 2);
    expect((await auditRows(mr.requestId)).at(-1)).toMatchObject({ outcome: "succeeded", detail: expect.objectContaining({ zone: "j", step: "restore" }) });
    // Restored onto a zone without a healthy instance: the check fires again.
    expect((await getRoute(operator, ENV, ns, "orders")).issues.map((i) => i.ruleId)).toContain("SY-G002");
  });

  it("a viewer cannot drain: 403, audited denied, nothing written", async () => {
    const rv = (await k8s.get("HTTPRoute", ns, "orders"))!.metadata.resourceVersion;
    const m = meta();
    const e = await rejection(drainZone.execute(viewer, { environment: ENV, namespace: ns, name: "orders", zone: "k", resourceVersion: rv }, m));
    expect(e.code).toBe("FORBIDDEN");
    expect((await auditRows(m.requestId)).map((r) => [r.phase, r.outcome])).toEqual([["outcome", "denied"]]);
    expect((await k8s.get("HTTPRoute", ns, "orders"))!.metadata.resourceVersion).toBe(rv);
  });
});

describe("canary", () => {
  it("0 → 10 → 25 → 50 and back one step: the expected weights, one revision and one audit outcome per step", async () => {
    const created = await apply(operator, route("canary"), null);
    let rv = created.object!.metadata.resourceVersion;
    const step = async (body: Record<string, unknown>) => {
      const m = meta();
      const r = await stepCanary.execute(operator, { environment: ENV, namespace: ns, name: "canary", resourceVersion: rv, ...body }, m);
      rv = r.route.resourceVersion!;
      const rows = await auditRows(m.requestId);
      expect(rows.map((x) => [x.action, x.phase, x.outcome])).toEqual([["gateway.route.write", "intent", null], ["gateway.route.write", "outcome", "succeeded"]]);
      return r;
    };
    const revs = await revisionCount("HTTPRoute", "canary");
    // Started on 90/10: that is step 1 of 0/10/25/50/100, so nothing moves.
    const started = await step({ action: "start", rule: 0, stable: ["shop-v1"], canary: ["shop-v2"] });
    expect(started.state.canary).toMatchObject({ step: 1, steps: [0, 10, 25, 50, 100] });
    expect(await weightsOf("canary")).toEqual({ "shop-v1": 90, "shop-v2": 10 });
    await step({ action: "next" });
    expect(await weightsOf("canary")).toEqual({ "shop-v1": 75, "shop-v2": 25 });
    await step({ action: "next" });
    expect(await weightsOf("canary")).toEqual({ "shop-v1": 50, "shop-v2": 50 });
    const back = await step({ action: "back" });
    expect(back.state.canary!.step).toBe(2);
    expect(await weightsOf("canary")).toEqual({ "shop-v1": 75, "shop-v2": 25 });
    expect(await revisionCount("HTTPRoute", "canary")).toBe(revs + 4);
    const listed = await listRoutes(operator, ENV, { namespace: ns, search: "canary", page: 1, pageSize: 10 });
    expect(listed.items[0]!.canary).toEqual({ step: 2, percent: 25, steps: [0, 10, 25, 50, 100] });
  });

  it("a hold time refuses the next step until it has passed (409 with the time); going back is allowed", async () => {
    const created = await apply(operator, route("held"), null);
    const started = await stepCanary.execute(operator, { environment: ENV, namespace: ns, name: "held", resourceVersion: created.object!.metadata.resourceVersion, action: "start", rule: 0, stable: ["shop-v1"], canary: ["shop-v2"], holdSeconds: 3600 }, meta());
    const e = await rejection(stepCanary.execute(operator, { environment: ENV, namespace: ns, name: "held", resourceVersion: started.route.resourceVersion!, action: "next" }, meta()));
    expect(e.code).toBe("CONFLICT");
    expect(e.details).toMatchObject({ allowedAt: expect.any(String) });
    expect(await weightsOf("held")).toEqual({ "shop-v1": 90, "shop-v2": 10 });
    await stepCanary.execute(operator, { environment: ENV, namespace: ns, name: "held", resourceVersion: started.route.resourceVersion!, action: "back" }, meta());
    expect(await weightsOf("held")).toEqual({ "shop-v1": 100, "shop-v2": 0 });
  });
});
