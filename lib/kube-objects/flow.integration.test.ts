/**
 * The generic Kubernetes apply flow (lib/kube-objects) through the Mesh area's operations,
 * against the stack's real API server with the Istio CRDs and a real PostgreSQL: revisions,
 * 409 on an outside change (object unchanged), 422 at the schema path and YAML line, rollback,
 * a two-object apply whose second write fails at the fault proxy (partial, first reverted),
 * and refusals audited.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { createEnvironment } from "@/lib/environments/create-environment";
import { AppError } from "@/lib/errors";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import { applyPolicies } from "@/lib/mesh/apply-policies";
import { kubeObjectFlow } from "@/lib/kube-objects";
import { defineOperation } from "@/lib/ops/define-operation";
import { applyPolicy } from "@/lib/mesh/apply-policy";
import { deletePolicy } from "@/lib/mesh/delete-policy";
import { MESH } from "@/lib/mesh/objects";
import { rollbackPolicy } from "@/lib/mesh/rollback-policy";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultMode, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const run = randomBytes(4).toString("hex");
const ns = `it-kobj-${run}`;
const ENV = `kobj-${run}`;
const PROXIED_ENV = `kobj-proxy-${run}`;
const admin = actorWithRole("admin");
const operator = actorWithRole("operator");
const viewer = actorWithRole("viewer");

/**
 * The same flow without the mesh rules, so the connections of one multi-object apply are exactly
 * reads (one kept-alive connection), then one connection per write.
 */
const PLAIN = kubeObjectFlow({
  area: "test",
  kinds: ["DestinationRule", "VirtualService"] as const,
  readPermission: "mesh.policy.read",
  writePermission: "mesh.policy.write",
  actions: { write: "mesh.policy.write", delete: "mesh.policy.delete", rollback: "mesh.policy.rollback" },
});
const applyPlain = defineOperation({ ...PLAIN.applyManyDefinition });

let pg: PostgresFixture;
let k8s: K8sClient;
let proxy: FaultProxy;

const vs = (name: string, weights: [number, number]) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, labels: { run } },
  // No subsets: the mesh rules would refuse subsets no DestinationRule defines (SY-M003).
  spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews" }, weight: weights[0] }, { destination: { host: "ratings" }, weight: weights[1] }] }] },
});
const dr = (name: string) => ({
  metadata: { name },
  spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }] },
});

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
  const r = await pg.asAdmin((c) => c.query("SELECT phase, outcome, before, after, detail, version_before, version_after FROM audit_events WHERE request_id = $1 ORDER BY id", [requestId]));
  return r.rows as Array<{ phase: string; outcome: string | null; before: unknown; after: unknown; detail: Record<string, unknown>; version_before: string | null; version_after: string | null }>;
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("kobj");
  setProcessDatabase(pg.handle);
  const apiUrl = peerEnv("k8s", "K8S_URL");
  const caPem = fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8");
  const clientCertPem = fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8");
  const clientKeyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  k8s = createK8sClient({ environment: "it", apiUrl, caPem, clientCertPem, clientKeyPem, timeoutMs: 15_000 });
  const target = new URL(apiUrl);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
  const kubernetes = (url: string) => ({ apiUrl: url, caPem, auth: "client-certificate" as const, clientCertPem, clientKeyPem });
  await createEnvironment.execute(admin, { name: ENV, labels: { tier: "dev" }, kubernetes: kubernetes(apiUrl) }, meta());
  await createEnvironment.execute(admin, { name: PROXIED_ENV, labels: { tier: "dev" }, kubernetes: kubernetes(proxy.url("https")) }, meta());
});

afterAll(async () => {
  if (k8s) {
    for (const kind of ["VirtualService", "DestinationRule"] as const) {
      for (const item of (await k8s.list(kind, ns)).items) await k8s.delete(kind, ns, item.metadata.name).catch(() => undefined);
    }
    k8s.close();
  }
  await proxy?.close();
  await pg?.drop();
});

describe("apply, conflict and rollback", () => {
  it("creates, replaces with the version seen, stores revisions and audits before/after", async () => {
    const m1 = meta();
    const created = await applyPolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", object: vs("reviews", [90, 10]), resourceVersion: null }, m1);
    expect(created).toMatchObject({ created: true, revision: 1, unchanged: false });
    const rv1 = created.object!.metadata.resourceVersion;

    const m2 = meta();
    const replaced = await applyPolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", object: vs("reviews", [50, 50]), resourceVersion: rv1 }, m2);
    expect(replaced).toMatchObject({ created: false, revision: 2 });
    expect(replaced.diff).toContainEqual({ op: "del", text: expect.stringMatching(/weight: 90$/) });
    expect(replaced.diff).toContainEqual({ op: "add", text: expect.stringMatching(/weight: 50$/) });
    const live = await k8s.get("VirtualService", ns, "reviews");
    expect((live!.spec as { http: Array<{ route: Array<{ weight: number }> }> }).http[0]!.route.map((r) => r.weight)).toEqual([50, 50]);

    const rows = await auditRows(m2.requestId);
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([["intent", null], ["outcome", "succeeded"]]);
    expect(rows[1]!.version_before).toBe(rv1);
    expect(rows[1]!.version_after).toBe(live!.metadata.resourceVersion);
    expect(JSON.stringify(rows[1]!.before)).toContain("90");
    expect(JSON.stringify(rows[1]!.after)).toContain("50");

    const revisions = await MESH.listRevisions(viewer, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews" });
    expect(revisions.map((r) => [r.revision, r.operation, r.actor, r.requestId])).toEqual([
      [2, "apply", "operator-user", m2.requestId],
      [1, "apply", "operator-user", m1.requestId],
    ]);
  });

  it("an object changed outside the console between load and save → 409 with the live object and a diff, object unchanged", async () => {
    const seen = (await k8s.get("VirtualService", ns, "reviews"))!;
    // Someone else changes it (kubectl, another console): 70/30.
    const outside = await k8s.replace("VirtualService", ns, "reviews", { ...vs("reviews", [70, 30]), metadata: { ...vs("reviews", [70, 30]).metadata, resourceVersion: seen.metadata.resourceVersion } });
    const m = meta();
    const e = await rejection(applyPolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", object: vs("reviews", [0, 100]), resourceVersion: seen.metadata.resourceVersion }, m));
    expect(e.code).toBe("CONFLICT");
    expect(e.status).toBe(409);
    expect(e.details).toMatchObject({ liveResourceVersion: outside.metadata.resourceVersion });
    expect(JSON.stringify((e.details as { live: unknown }).live)).toContain("70");
    expect((e.details as { diff: Array<{ op: string; text: string }> }).diff.some((d) => d.op === "add" && d.text.includes("weight: 100"))).toBe(true);
    const after = (await k8s.get("VirtualService", ns, "reviews"))!;
    expect(after.metadata.resourceVersion).toBe(outside.metadata.resourceVersion);
    expect((await auditRows(m.requestId)).at(-1)!.outcome).toBe("conflict");
  });

  it("schema-invalid YAML → 422 naming the path and line; nothing written", async () => {
    const before = (await k8s.get("VirtualService", ns, "reviews"))!;
    const yaml = [
      "apiVersion: networking.istio.io/v1",
      "kind: VirtualService",
      "metadata:",
      "  name: reviews",
      "spec:",
      "  hosts: [reviews]",
      "  http:",
      "  - route:",
      "    - destination:",
      "        host: reviews",
      "      weight: fifty",
      "",
    ].join("\n");
    const e = await rejection(applyPolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", yaml, resourceVersion: before.metadata.resourceVersion }, meta()));
    expect(e.status).toBe(422);
    const issues = (e.details as { issues: Array<{ ruleId: string; path: string; line: number }> }).issues;
    expect(issues).toContainEqual(expect.objectContaining({ ruleId: "SY-M001", path: "spec.http[0].route[0].weight", line: 11 }));
    expect((await k8s.get("VirtualService", ns, "reviews"))!.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("an unknown (mis-indented) field is reported at its line, not silently dropped", async () => {
    const yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: typo\nspec:\n  hosts: [reviews]\n  htp: []\n";
    const v = await MESH.validateYaml(viewer, ENV, ns, yaml);
    expect(v.issues).toContainEqual(expect.objectContaining({ path: "spec.htp", line: 7, severity: "error" }));
    const ok = await MESH.validateYaml(viewer, ENV, ns, yaml.replace("  htp: []\n", ""));
    expect(ok.issues).toEqual([]);
  });

  it("rolls back to a revision as a guarded new write (revision 'observed' records the outside change)", async () => {
    const live = (await k8s.get("VirtualService", ns, "reviews"))!;
    const m = meta();
    const r = await rollbackPolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", revision: 1, resourceVersion: live.metadata.resourceVersion }, m);
    expect(r.from).toBe(1);
    const now = (await k8s.get("VirtualService", ns, "reviews"))!;
    expect((now.spec as { http: Array<{ route: Array<{ weight: number }> }> }).http[0]!.route.map((x) => x.weight)).toEqual([90, 10]);
    const revisions = await MESH.listRevisions(viewer, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews" });
    expect(revisions.slice(0, 2).map((x) => x.operation)).toEqual(["rollback", "observed"]);
    const observed = await MESH.getRevision(viewer, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews" }, revisions[1]!.revision);
    expect(JSON.stringify(observed.object)).toContain("70");
    const rows = await auditRows(m.requestId);
    expect(rows.at(-1)).toMatchObject({ outcome: "succeeded", detail: expect.objectContaining({ from: 1 }) });
  });

  it("a viewer cannot apply, delete or roll back: 403, audited denied", async () => {
    const live = (await k8s.get("VirtualService", ns, "reviews"))!;
    for (const [op, input] of [
      [applyPolicy, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", object: vs("reviews", [0, 100]), resourceVersion: live.metadata.resourceVersion }],
      [deletePolicy, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", resourceVersion: live.metadata.resourceVersion }],
      [rollbackPolicy, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", revision: 1, resourceVersion: live.metadata.resourceVersion }],
    ] as const) {
      const m = meta();
      const e = await rejection((op as typeof applyPolicy).execute(viewer, input, m));
      expect(e.code).toBe("FORBIDDEN");
      expect((await auditRows(m.requestId)).map((r) => r.outcome)).toEqual(["denied"]);
    }
    expect((await k8s.get("VirtualService", ns, "reviews"))!.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });

  it("deletes only the version seen", async () => {
    const live = (await k8s.get("VirtualService", ns, "reviews"))!;
    const stale = await rejection(deletePolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", resourceVersion: "1" }, meta()));
    expect(stale.code).toBe("CONFLICT");
    await deletePolicy.execute(operator, { environment: ENV, kind: "VirtualService", namespace: ns, name: "reviews", resourceVersion: live.metadata.resourceVersion }, meta());
    expect(await k8s.get("VirtualService", ns, "reviews")).toBeNull();
  });
});

describe("multi-object apply", () => {
  it("applies DestinationRule before VirtualService whatever the order given", async () => {
    const r = await applyPolicies.execute(operator, { environment: ENV, namespace: ns, objects: [{ kind: "VirtualService", name: "shift", object: vs("shift", [80, 20]), resourceVersion: null }, { kind: "DestinationRule", name: "shift", object: dr("shift"), resourceVersion: null }] }, meta());
    expect(r.outcome).toBe("succeeded");
    expect(r.applied.map((s) => s.kind)).toEqual(["DestinationRule", "VirtualService"]);
  });

  it("a second write failing at the fault proxy reports and audits partial and leaves the first reverted", async () => {
    // Reads share one kept-alive connection; every write opens its own. The proxy refuses the
    // connection of the VirtualService write: connection 1 = reads, 2-3 = dry runs, 4 = DR write,
    // 5 = VS write, 6 = the revert. The proxy reads `mode` twice when a connection opens (refuse?
    // blackhole?) and once per chunk in `holds` (delay?); only the former count connections.
    let checks = 0;
    const refuseAt = 5;
    Object.defineProperty(proxy, "mode", {
      configurable: true,
      get: (): FaultMode => {
        if (new Error().stack?.includes("holds")) return "pass";
        checks++;
        if (checks % 2 === 1 && (checks + 1) / 2 === refuseAt) {
          checks++; // a refused connection is not asked the second question
          return "refuse";
        }
        return "pass";
      },
      set: () => undefined,
    });
    const m = meta();
    const r = await applyPlain.execute(operator, { environment: PROXIED_ENV, namespace: ns, objects: [{ kind: "DestinationRule", name: "partial", object: dr("partial"), resourceVersion: null }, { kind: "VirtualService", name: "partial", object: vs("partial", [50, 50]), resourceVersion: null }] }, m);
    Object.defineProperty(proxy, "mode", { configurable: true, writable: true, value: "pass" });
    expect(r.outcome).toBe("partial");
    expect(r.applied).toEqual([expect.objectContaining({ kind: "DestinationRule", name: "partial", created: true })]);
    expect(r.failed).toMatchObject({ kind: "VirtualService", name: "partial", error: { code: "UPSTREAM_UNAVAILABLE" } });
    expect(r.reverted.map((s) => s.kind)).toEqual(["DestinationRule"]);
    expect(r.revertFailed).toEqual([]);
    expect(await k8s.get("DestinationRule", ns, "partial")).toBeNull();
    expect(await k8s.get("VirtualService", ns, "partial")).toBeNull();
    const rows = await auditRows(m.requestId);
    expect(rows.at(-1)).toMatchObject({ phase: "outcome", outcome: "partial", detail: expect.objectContaining({ reverted: ["DestinationRule/partial"] }) });
  });
});
