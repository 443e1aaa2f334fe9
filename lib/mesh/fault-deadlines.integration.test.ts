/**
 * Issue #14: a fault injected with a 5-second deadline is reverted once — with two console
 * processes (replicas, `scripts/server.mts`) polling the same PostgreSQL — by the system actor,
 * audited, against the stack's real Kubernetes API server. Both replicas poll every 300 ms, so
 * both see the deadline due at about the same moment; only one may revert it.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const secret = testSecret();
const encryptionKey = testSecret();
const run = randomBytes(3).toString("hex");
const ns = `it-fault-${run}`;
const ENV = `fault-${run}`;

let pg: PostgresFixture;
let k8s: K8sClient;
let replicaA: ConsoleServer;
let replicaB: ConsoleServer;
let cookie = "";
const dataDirs: string[] = [];

async function call(server: ConsoleServer, method: string, route: string, body?: unknown) {
  const headers: Record<string, string> = { origin: server.url, cookie };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, requestId: res.headers.get("x-request-id") ?? "", body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

function consoleEnv(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-fault-"));
  dataDirs.push(dir);
  return {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    SWITCHYARD_SECRET: secret,
    SWITCHYARD_ENCRYPTION_KEY: encryptionKey,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
    SWITCHYARD_DATA_DIR: dir,
    SWITCHYARD_MESH_FAULT_POLL_MS: "300",
  };
}

const vs = (fault?: Record<string, unknown>) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews" },
  spec: { hosts: ["reviews"], http: [{ ...(fault ? { fault } : {}), route: [{ destination: { host: "reviews" } }], timeout: "3s" }] },
});

beforeAll(async () => {
  pg = await freshPostgres("fault");
  const apiUrl = peerEnv("k8s", "K8S_URL");
  const caPem = fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8");
  const clientCertPem = fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8");
  const clientKeyPem = fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8");
  k8s = createK8sClient({ environment: "it", apiUrl, caPem, clientCertPem, clientKeyPem, timeoutMs: 15_000 });
  replicaA = await startConsole(consoleEnv());
  replicaB = await startConsole(consoleEnv());
  const signIn = await fetch(`${replicaA.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: replicaA.url, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }),
  });
  expect(signIn.status).toBe(200);
  cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  const created = await call(replicaA, "POST", "/api/v1/environments", { name: ENV, labels: { tier: "dev" }, kubernetes: { apiUrl, caPem, auth: "client-certificate", clientCertPem, clientKeyPem } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 240_000);

afterAll(async () => {
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  if (k8s) {
    await k8s.delete("VirtualService", ns, "reviews").catch(() => undefined);
    k8s.close();
  }
  await pg?.drop();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("fault injection with a deadline", () => {
  it("is reverted once, by the system actor, with two replicas polling; audited and stored as a revision", async () => {
    // The VirtualService as it was before: a 3 s timeout, no fault.
    const before = await call(replicaA, "PUT", `/api/v1/environments/${ENV}/mesh/VirtualService/${ns}/reviews`, { object: vs(), resourceVersion: null });
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    const rv = (before.body.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion;

    const injected = await call(replicaB, "POST", `/api/v1/environments/${ENV}/mesh/fault`, {
      namespace: ns,
      name: "reviews",
      object: vs({ abort: { percentage: { value: 50 }, httpStatus: 503 } }),
      resourceVersion: rv,
      deadlineSeconds: 5,
    });
    expect(injected.status, JSON.stringify(injected.body)).toBe(200);
    expect(injected.body.deadline).toMatchObject({ revertAt: expect.any(String) });
    expect(JSON.stringify((await k8s.get("VirtualService", ns, "reviews"))!.spec)).toContain("abort");

    // Wait for the state to settle (polling the database, not the clock): the row leaves `active`/`reverting`.
    let state = "active";
    for (let i = 0; i < 100 && (state === "active" || state === "reverting"); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const r = await pg.asAdmin((c) => c.query("SELECT state FROM mesh_fault_deadlines WHERE name = 'reviews' AND namespace = $1", [ns]));
      state = String(r.rows[0]?.state);
    }
    expect(state).toBe("reverted");
    // Give the other replica every chance to act twice: several more polling rounds.
    await new Promise((r) => setTimeout(r, 1_500));

    const live = (await k8s.get("VirtualService", ns, "reviews"))!;
    expect(JSON.stringify(live.spec)).not.toContain("fault");
    expect(live.spec).toEqual(vs().spec);

    const audit = await pg.asAdmin((c) =>
      c.query("SELECT phase, outcome, actor_id, actor_name, detail FROM audit_events WHERE action = 'mesh.policy.write' AND namespace = $1 AND actor_id = 'system' ORDER BY id", [ns]),
    );
    expect(audit.rows.map((r: { phase: string; outcome: string | null }) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "succeeded"],
    ]);
    expect((audit.rows[1] as { detail: Record<string, unknown> }).detail).toMatchObject({ reason: "fault injection deadline", injectedBy: "admin", mode: "restored the object as it was before the fault" });

    const revisions = await pg.asAdmin((c) => c.query("SELECT revision, operation, actor_name FROM kube_object_revisions WHERE namespace = $1 ORDER BY revision", [ns]));
    expect(revisions.rows.map((r: { operation: string; actor_name: string }) => [r.operation, r.actor_name])).toEqual([
      ["apply", "admin"],
      ["apply", "admin"],
      ["revert", "system"],
    ]);
  });
});
