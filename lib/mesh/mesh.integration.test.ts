/**
 * The Mesh area against the stack's real API server (Istio CRDs), real Nacos and ZooKeeper and
 * PostgreSQL: every wizard's objects are accepted by the API server and reopen in the wizard
 * unchanged; the cross-layer rules fail and pass against the real registries; the list badges
 * and filters; validation through YAML at line numbers; a developer never writes in tier=prod.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import { applyPolicies } from "@/lib/mesh/apply-policies";
import { MESH_KINDS, type MeshKind } from "@/lib/mesh/model/kinds";
import {
  asKubeObject,
  authzFromObjects,
  authzToObjects,
  canaryFromObjects,
  canaryToObjects,
  circuitBreakerFromObjects,
  circuitBreakerToObjects,
  faultFromObjects,
  faultToObjects,
  fromKubeObject,
  jwtFromObjects,
  jwtToObjects,
  mtlsFromObjects,
  mtlsToObjects,
  resilienceFromObjects,
  resilienceToObjects,
  trafficShiftFromObjects,
  trafficShiftToObjects,
  type WizardObject,
} from "@/lib/mesh/model/wizards";
import { getPolicy, listPolicies, validatePolicies } from "@/lib/mesh/policies";
import { revertDueFaults } from "@/lib/mesh/fault-deadlines";
import { injectFault } from "@/lib/mesh/inject-fault";
import { openDatabase } from "@/db/client";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";
import { encodeDubboZnodeName } from "@/lib/zookeeper/dubbo";

const run = randomBytes(4).toString("hex");
const ns = `it-mesh-${run}`;
const ENV = `mesh-${run}`;
const ZK_ENV = `mesh-zk-${run}`;
const SVC = `reviews-${run}`;
const IFACE = `com.acme.mesh${run}.ReviewService`;
const zkRoot = `/switchyard-mesh-${run}`;
const operator = actorWithRole("operator");
const viewer = actorWithRole("viewer");

let pg: PostgresFixture;
let k8s: K8sClient;
let nacos: NacosClient;
let zk: ZookeeperClient;

async function apply(objects: WizardObject[], environment = ENV) {
  const input = [];
  for (const o of objects) {
    const live = await k8s.get(o.kind, ns, o.name);
    input.push({ kind: o.kind, name: o.name, object: asKubeObject(o, ns), resourceVersion: live?.metadata.resourceVersion ?? null });
  }
  return applyPolicies.execute(operator, { environment, namespace: ns, objects: input }, meta());
}

async function reread(kind: MeshKind, name: string): Promise<WizardObject | null> {
  return fromKubeObject(kind, await k8s.get(kind, ns, name));
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("mesh");
  setProcessDatabase(pg.handle);
  const apiUrl = peerEnv("k8s", "K8S_URL");
  const caPem = fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8");
  const clientCertPem = fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8");
  const clientKeyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  k8s = createK8sClient({ environment: "it", apiUrl, caPem, clientCertPem, clientKeyPem, timeoutMs: 15_000 });
  const kubernetes = { apiUrl, caPem, auth: "client-certificate" as const, clientCertPem, clientKeyPem };
  const nacosUrl = peerEnv("nacos", "NACOS_URL");
  const username = peerEnv("nacos", "NACOS_USERNAME");
  const password = peerEnv("nacos", "NACOS_PASSWORD");
  nacos = createNacosClient({ environment: "it", baseUrl: nacosUrl, username, password, timeoutMs: 10_000 });
  // v1: healthy and enabled; v2: its only instance disabled; nobody carries v3.
  await nacos.registerInstance({ serviceName: SVC, ip: "10.9.0.1", port: 9080, ephemeral: false, metadata: { version: "v1" } });
  await nacos.registerInstance({ serviceName: SVC, ip: "10.9.0.2", port: 9080, ephemeral: false, enabled: false, metadata: { version: "v2" } });
  const admin = actorWithRole("admin");
  await createEnvironment.execute(admin, { name: ENV, labels: { tier: "dev" }, registry: { kind: "nacos", url: nacosUrl, username, password, namespaces: [""] }, kubernetes }, meta());
  // ZooKeeper (Dubbo): the interface with a 1.0.0 provider and a disabled 2.0.0 provider.
  zk = createZookeeperClient({ environment: "it", hosts: peerEnv("zookeeper", "ZK_HOSTS"), timeoutMs: 10_000 });
  const provider = (host: string, version: string, extra = "") =>
    `${zkRoot}/dubbo/${IFACE}/providers/${encodeDubboZnodeName(`dubbo://${host}:20880/${IFACE}?application=reviews&interface=${IFACE}&side=provider&version=${version}${extra}`)}`;
  await zk.create(provider("10.8.0.1", "1.0.0"), "", { mode: "persistent", createParents: true });
  await zk.create(provider("10.8.0.2", "2.0.0", "&disabled=true"), "", { mode: "persistent", createParents: true });
  await createEnvironment.execute(admin, { name: ZK_ENV, labels: { tier: "dev" }, registry: { kind: "zookeeper", hosts: peerEnv("zookeeper", "ZK_HOSTS"), layout: "dubbo", root: zkRoot }, kubernetes }, meta());
  // Nacos shows a registration after a moment.
  for (let i = 0; i < 40 && (await nacos.listInstances({ serviceName: SVC })).length < 2; i++) await new Promise((r) => setTimeout(r, 250));
});

afterAll(async () => {
  if (k8s) {
    for (const kind of MESH_KINDS) for (const item of (await k8s.list(kind, ns).catch(() => ({ items: [] }))).items) await k8s.delete(kind, ns, item.metadata.name).catch(() => undefined);
    k8s.close();
  }
  if (nacos) for (const ip of ["10.9.0.1", "10.9.0.2"]) await nacos.deregisterInstance({ serviceName: SVC, ip, port: 9080, ephemeral: false }).catch(() => undefined);
  if (zk) {
    const remove = async (p: string): Promise<void> => {
      for (const c of (await zk.getChildren(p).catch(() => null)) ?? []) await remove(`${p}/${c}`);
      const s = await zk.exists(p);
      if (s) await zk.remove(p, s.version);
    };
    await remove(zkRoot).catch(() => undefined);
    await zk.close();
  }
  await pg?.drop();
});

describe("wizards: accepted by the API server, reopened unchanged", () => {
  it("weighted traffic shifting (DestinationRule subsets + VirtualService)", async () => {
    const m = { name: "shift", host: SVC, subsets: [{ name: "v1", labels: { version: "v1" }, weight: 90 }, { name: "v2", labels: { version: "v2" }, weight: 10 }] };
    const { dr, vs } = trafficShiftToObjects(m);
    const r = await apply([vs, dr]);
    expect(r.applied.map((s) => s.kind)).toEqual(["DestinationRule", "VirtualService"]);
    expect(trafficShiftFromObjects(await reread("DestinationRule", "shift"), await reread("VirtualService", "shift"))).toEqual(m);
    // 90/10 → 50/50 on the live objects: only the weights change.
    const m2 = { ...m, subsets: m.subsets.map((s) => ({ ...s, weight: 50 })) };
    const next = trafficShiftToObjects(m2, { dr: await reread("DestinationRule", "shift"), vs: await reread("VirtualService", "shift") });
    await apply([next.dr, next.vs]);
    expect(trafficShiftFromObjects(await reread("DestinationRule", "shift"), await reread("VirtualService", "shift"))).toEqual(m2);
  });

  it("header, cookie and URI canary", async () => {
    const base = { host: SVC, canarySubset: "v2", stableSubset: "v1" };
    for (const [name, match] of [
      ["canary-header", { on: "header", header: "x-canary", mode: "exact", value: "true" }],
      ["canary-cookie", { on: "cookie", cookie: "user", value: "beta" }],
      ["canary-uri", { on: "uri", mode: "prefix", value: "/v2/" }],
    ] as const) {
      const m = { ...base, name, match };
      await apply([canaryToObjects(m).vs]);
      expect(canaryFromObjects(await reread("VirtualService", name))).toEqual(m);
    }
  });

  it("timeouts and retries; fault injection; circuit breaking", async () => {
    const r = { name: "resilience", host: SVC, timeout: "5s", attempts: 3, perTryTimeout: "2s", retryOn: ["5xx", "connect-failure"] };
    await apply([resilienceToObjects(r).vs]);
    expect(resilienceFromObjects(await reread("VirtualService", "resilience"))).toEqual(r);
    const f = { name: "fault", host: SVC, delay: { percent: 10, fixedDelay: "2s" }, abort: { percent: 5, httpStatus: 503 }, deadlineSeconds: null };
    await apply([faultToObjects(f).vs]);
    expect(faultFromObjects(await reread("VirtualService", "fault"))).toEqual(f);
    const c = { name: "breaker", host: SVC, maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 };
    await apply([circuitBreakerToObjects(c).dr]);
    expect(circuitBreakerFromObjects(await reread("DestinationRule", "breaker"))).toEqual(c);
  });

  it("mTLS, JWT (RequestAuthentication + AuthorizationPolicy) and allow/deny", async () => {
    const t = { name: "reviews-mtls", selector: { app: "reviews" }, mode: "STRICT" as const };
    await apply([mtlsToObjects(t).pa]);
    expect(mtlsFromObjects(await reread("PeerAuthentication", "reviews-mtls"))).toEqual(t);
    const j = { name: "jwt", selector: { app: "reviews" }, issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks.json", audiences: ["reviews"] };
    const { ra, ap } = jwtToObjects(j);
    const res = await apply([ap, ra]);
    expect(res.applied.map((s) => s.kind)).toEqual(["RequestAuthentication", "AuthorizationPolicy"]);
    expect(jwtFromObjects(await reread("RequestAuthentication", "jwt"), await reread("AuthorizationPolicy", "jwt-require-jwt"))).toEqual(j);
    const a = { name: "deny-admin", selector: { app: "reviews" }, action: "DENY" as const, rules: [{ namespaces: ["untrusted"], principals: ["cluster.local/ns/untrusted/sa/bot"], methods: ["DELETE"], paths: ["/admin/*"] }] };
    await apply([authzToObjects(a).ap]);
    expect(authzFromObjects(await reread("AuthorizationPolicy", "deny-admin"))).toEqual(a);
  });
});

describe("cross-layer rules against the real registries", () => {
  const drYaml = (host: string, versions: string[]) =>
    ["apiVersion: networking.istio.io/v1", "kind: DestinationRule", "metadata:", "  name: xl", "spec:", `  host: ${host}`, "  subsets:", ...versions.flatMap((v) => [`  - name: s-${v.replace(/\./g, "-")}`, "    labels:", `      version: ${v}`])].join("\n") + "\n";

  it("Nacos: a subset nobody carries (SY-M011) and one whose instances are all disabled (SY-M013) warn, at their line; v1 passes", async () => {
    const report = await validatePolicies(viewer, ENV, { namespace: ns, yaml: drYaml(SVC, ["v1", "v2", "v3"]) });
    expect(report.issues.map((i) => [i.ruleId, i.path, i.line])).toEqual([
      ["SY-M013", "spec.subsets[1]", 11],
      ["SY-M011", "spec.subsets[2].labels", 15],
    ]);
    expect(report.valid).toBe(true); // warnings do not block
    expect((await validatePolicies(viewer, ENV, { namespace: ns, yaml: drYaml(SVC, ["v1"]) })).issues).toEqual([]);
  });

  it("ZooKeeper (Dubbo): version 3.0.0 matches no provider, 2.0.0 only a disabled one; 1.0.0 passes", async () => {
    const report = await validatePolicies(viewer, ZK_ENV, { namespace: ns, yaml: drYaml(IFACE, ["1.0.0", "2.0.0", "3.0.0"]) });
    expect(report.issues.map((i) => i.ruleId)).toEqual(["SY-M013", "SY-M011"]);
    expect((await validatePolicies(viewer, ZK_ENV, { namespace: ns, yaml: drYaml(IFACE, ["1.0.0"]) })).issues).toEqual([]);
  });

  it("a destination host that is no registry service nor ServiceEntry host warns (SY-M012); a registry service passes", async () => {
    const vs = (host: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "hosts" }, spec: { hosts: [host], http: [{ route: [{ destination: { host } }] }] } });
    const m012 = async (env: string, host: string) => (await validatePolicies(viewer, env, { namespace: ns, objects: [vs(host)] })).issues.filter((i) => i.ruleId === "SY-M012");
    const bad = await m012(ENV, `nowhere-${run}`);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain("the Nacos registry");
    expect(await m012(ENV, SVC)).toEqual([]);
    expect(await m012(ZK_ENV, IFACE)).toEqual([]);
  });

  it("an apply whose mesh rules find an error is refused with 422 and writes nothing", async () => {
    const vs = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "badweights" }, spec: { hosts: [SVC], http: [{ route: [{ destination: { host: SVC, subset: "v1" }, weight: 90 }, { destination: { host: SVC, subset: "v2" }, weight: 20 }] }] } };
    const e = await applyPolicies.execute(operator, { environment: ENV, namespace: ns, objects: [{ kind: "VirtualService", name: "badweights", object: vs, resourceVersion: null }] }, meta()).catch((x: unknown) => x as { status: number; details: { issues: Array<{ ruleId: string }> } });
    expect(e).toMatchObject({ status: 422 });
    // SY-M005 too: the namespace already has VirtualServices for this host (a warning, not what blocks).
    const issues = (e as unknown as { details: { issues: Array<{ ruleId: string; severity: string }> } }).details.issues;
    expect(issues.filter((i) => i.severity === "error").map((i) => i.ruleId)).toEqual(["SY-M002"]);
    expect(await k8s.get("VirtualService", ns, "badweights")).toBeNull();
  });
});

describe("list and detail", () => {
  it("badges per object, filters by kind, host and badge; detail with references and revisions", async () => {
    const all = await listPolicies(viewer, ENV, { namespace: ns });
    expect(all.items.length).toBeGreaterThanOrEqual(10);
    const shift = all.items.find((i) => i.kind === "DestinationRule" && i.name === "shift")!;
    expect(shift.badge).toBe("warning"); // v2's only instance is disabled (SY-M013)
    expect((await listPolicies(viewer, ENV, { namespace: ns, kind: "PeerAuthentication" })).items.map((i) => i.name)).toEqual(["reviews-mtls"]);
    expect((await listPolicies(viewer, ENV, { namespace: ns, badge: "warning" })).items.every((i) => i.badge === "warning")).toBe(true);
    expect((await listPolicies(viewer, ENV, { namespace: ns, host: "nothing-like-this" })).items).toEqual([]);
    const detail = await getPolicy(viewer, { environment: ENV, kind: "VirtualService", namespace: ns, name: "shift" });
    expect(detail.references.outgoing.map((r) => `${r.to.kind}/${r.to.name} ${r.via}`)).toEqual(["DestinationRule/shift subset v1", "DestinationRule/shift subset v2"]);
    expect(detail.revisions.map((r) => r.operation)).toEqual(["apply", "apply"]);
    const dr = await getPolicy(viewer, { environment: ENV, kind: "DestinationRule", namespace: ns, name: "shift" });
    expect(dr.references.incoming.map((r) => r.from.name)).toContain("shift");
  });
});

describe("fault deadlines, in process", () => {
  it("two replicas' rounds at the same moment revert a due fault once (the claim is a conditional UPDATE)", async () => {
    const base = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "faulty" }, spec: { hosts: [SVC], http: [{ route: [{ destination: { host: SVC } }] }] } };
    const created = await applyPolicies.execute(operator, { environment: ENV, namespace: ns, objects: [{ kind: "VirtualService", name: "faulty", object: base, resourceVersion: null }] }, meta());
    expect(created.outcome).toBe("succeeded");
    const live = (await k8s.get("VirtualService", ns, "faulty"))!;
    const withFault = { ...base, spec: { ...base.spec, http: [{ ...base.spec.http[0], fault: { abort: { percentage: { value: 100 }, httpStatus: 503 } } }] } };
    const r = await injectFault.execute(operator, { environment: ENV, namespace: ns, name: "faulty", object: withFault, resourceVersion: live.metadata.resourceVersion, deadlineSeconds: 5 }, meta());
    expect(r.deadline).not.toBeNull();
    // Two database pools, as two replicas would have; both rounds run once the deadline is due.
    const other = await openDatabase({ url: pg.appUrl, poolSize: 2 });
    try {
      const due = new Date(Date.now() + 6_000);
      const [a, b] = await Promise.all([revertDueFaults(pg.handle.db, due), revertDueFaults(other.db, due)]);
      expect(a + b).toBe(1);
      expect(await revertDueFaults(pg.handle.db, due)).toBe(0);
    } finally {
      await other.close();
    }
    expect(JSON.stringify((await k8s.get("VirtualService", ns, "faulty"))!.spec)).not.toContain("fault");
    const rows = await pg.asAdmin((c) => c.query("SELECT phase, outcome FROM audit_events WHERE actor_id = 'system' AND target_name = 'faulty' AND namespace = $1 ORDER BY id", [ns]));
    expect(rows.rows.map((x: { phase: string; outcome: string | null }) => [x.phase, x.outcome])).toEqual([["intent", null], ["outcome", "succeeded"]]);
  });
});
