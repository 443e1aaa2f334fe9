/**
 * The Kubernetes client against the real API server of the test stack (apiextensions-apiserver
 * with the Istio and Gateway API CRDs). Fault paths go through a TCP proxy in front of it.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, UpstreamError } from "@/lib/errors";
import { settlesExactlyAt } from "@/lib/testing/deadline";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";
import { createK8sClient, type K8sClient } from "./client";
import { RESOURCE_KINDS, type ResourceKind } from "./resources";
import type { K8sConnection, KubeObjectInput } from "./schemas";

const ENVIRONMENT = "it-k8s";
const run = randomBytes(4).toString("hex");
const ns = `it-${run}`;

let base: K8sConnection;
let k8s: K8sClient;
const extraClients: K8sClient[] = [];
const proxies: FaultProxy[] = [];

function client(overrides: Partial<K8sConnection> = {}): K8sClient {
  const c = createK8sClient({ ...base, ...overrides });
  extraClients.push(c);
  return c;
}

async function proxied(mode: FaultProxy["mode"], overrides: Partial<K8sConnection> = {}) {
  const target = new URL(base.apiUrl);
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, mode);
  proxies.push(proxy);
  return { proxy, client: client({ apiUrl: proxy.url("https"), ...overrides }) };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the call to fail");
}

function virtualService(name: string, host = "reviews", extra: Partial<KubeObjectInput["metadata"]> = {}): KubeObjectInput {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, labels: { "app.kubernetes.io/part-of": "switchyard-it", run }, ...extra },
    spec: { hosts: [host], http: [{ timeout: "5s", route: [{ destination: { host } }] }] },
  };
}

function httpRoute(name: string, path = "/api"): KubeObjectInput {
  return {
    metadata: { name },
    spec: {
      parentRefs: [{ name: "edge" }],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }], backendRefs: [{ name: "api", port: 8080 }] }],
    },
  };
}

beforeAll(() => {
  base = {
    environment: ENVIRONMENT,
    apiUrl: peerEnv("k8s", "K8S_URL"),
    caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"),
    clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"),
    clientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8"),
    timeoutMs: 15_000,
  };
  k8s = createK8sClient(base);
});

afterAll(async () => {
  // Leave etcd as we found it: everything this run made, in its namespace and cluster-wide.
  for (const kind of RESOURCE_KINDS) {
    const namespaced = kind !== "GatewayClass";
    const { items } = await k8s.list(kind, namespaced ? ns : undefined);
    for (const item of items) {
      if (!namespaced && !item.metadata.name.startsWith(`it-${run}`)) continue;
      await k8s.delete(kind, namespaced ? ns : null, item.metadata.name).catch(() => undefined);
    }
  }
  k8s?.close();
  for (const c of extraClients) c.close();
  await Promise.all(proxies.map((p) => p.close()));
});

describe("k8s client: connection", () => {
  it("ping reports version, readiness and the served kinds", async () => {
    const facts = await k8s.ping();
    expect(facts.environment).toBe(ENVIRONMENT);
    expect(facts.version.major).toBe("1");
    expect(facts.ready).toBe(true);
    for (const kind of RESOURCE_KINDS) expect(facts.servedKinds[kind], kind).toBe(true);
    expect(facts.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses a non-https apiUrl", () => {
    expect(() => createK8sClient({ ...base, apiUrl: "http://127.0.0.1:1" })).toThrow(AppError);
  });

  it("an unknown bearer token → UPSTREAM_REJECTED, and the token appears nowhere in the error", async () => {
    const token = `sy-secret-${run}-token`;
    const anon = client({ clientCertPem: undefined, clientKeyPem: undefined, bearerToken: token });
    const err = await rejection(anon.get("VirtualService", ns, "anything"));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.code).toBe("UPSTREAM_REJECTED");
    const everything = JSON.stringify({ message: err.message, user: err.userMessage, details: err.details, stack: err.stack });
    expect(everything).not.toContain(token);
  });

  it("no credentials at all (server answers 500) → UPSTREAM_UNAVAILABLE", async () => {
    const anon = client({ clientCertPem: undefined, clientKeyPem: undefined });
    const err = await rejection(anon.list("VirtualService", ns));
    expect(err.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(err.details).toMatchObject({ system: "kubernetes", environment: ENVIRONMENT, namespace: ns, kind: "VirtualService" });
  });

  it("a server certificate from an unknown CA is not trusted", async () => {
    const untrusting = client({ caPem: undefined });
    const err = await rejection(untrusting.get("VirtualService", ns, "x"));
    expect(err.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(err.details).toMatchObject({ reason: "tls" });
  });
});

describe("k8s client: objects", () => {
  it("creates and gets a VirtualService (networking.istio.io/v1)", async () => {
    const created = await k8s.create("VirtualService", ns, virtualService("reviews"));
    expect(created.apiVersion).toBe("networking.istio.io/v1");
    expect(created.kind).toBe("VirtualService");
    expect(created.metadata).toMatchObject({ name: "reviews", namespace: ns });
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.uid).toBeTruthy();

    const got = await k8s.get("VirtualService", ns, "reviews");
    expect(got?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(got?.metadata.labels).toMatchObject({ run });
    expect(got?.spec).toEqual(virtualService("reviews").spec);
  });

  it("creates and gets an HTTPRoute (gateway.networking.k8s.io/v1), apiVersion and kind filled in", async () => {
    const created = await k8s.create("HTTPRoute", ns, httpRoute("api"));
    expect(created.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(created.kind).toBe("HTTPRoute");
    const got = await k8s.get("HTTPRoute", ns, "api");
    expect(got?.metadata.uid).toBe(created.metadata.uid);
    expect(got?.spec).toMatchObject({ parentRefs: [{ name: "edge" }] });
  });

  it("creating an existing name → CONFLICT with the current resourceVersion", async () => {
    const current = await k8s.get("HTTPRoute", ns, "api");
    const err = await rejection(k8s.create("HTTPRoute", ns, httpRoute("api")));
    expect(err.code).toBe("CONFLICT");
    expect(err.details).toMatchObject({ reason: "AlreadyExists", currentResourceVersion: current?.metadata.resourceVersion });
  });

  it("get of a missing object → null", async () => {
    expect(await k8s.get("VirtualService", ns, "does-not-exist")).toBeNull();
  });

  it("lists in a namespace, across namespaces, by label, and page by page", async () => {
    await k8s.create("VirtualService", ns, virtualService("ratings", "ratings"));
    await k8s.create("VirtualService", ns, virtualService("unlabelled", "details", { labels: {} }));

    const all = await k8s.list("VirtualService", ns);
    expect(all.items.map((i) => i.metadata.name).sort()).toEqual(["ratings", "reviews", "unlabelled"]);
    expect(all.items.every((i) => i.kind === "VirtualService" && i.apiVersion === "networking.istio.io/v1")).toBe(true);

    const labelled = await k8s.list("VirtualService", ns, { labelSelector: `run=${run}` });
    expect(labelled.items.map((i) => i.metadata.name).sort()).toEqual(["ratings", "reviews"]);

    const everywhere = await k8s.list("VirtualService", undefined, { labelSelector: `run=${run}` });
    expect(everywhere.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort()).toEqual([`${ns}/ratings`, `${ns}/reviews`]);

    const first = await k8s.list("VirtualService", ns, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.continue).toBeTruthy();
    const second = await k8s.list("VirtualService", ns, { limit: 2, continue: first.continue });
    expect(second.items).toHaveLength(1);
    expect(second.continue).toBeUndefined();

    const err = await rejection(k8s.list("VirtualService", ns, { labelSelector: "a===b" }));
    expect(err.code).toBe("VALIDATION");
    expect(err.fields[0]?.field).toBe("labelSelector");
  });

  it("replace with the current resourceVersion succeeds and returns a new one", async () => {
    const current = (await k8s.get("VirtualService", ns, "reviews"))!;
    const updated = await k8s.replace("VirtualService", ns, "reviews", {
      ...current,
      spec: { ...current.spec, hosts: ["reviews", "reviews.prod"] },
    });
    expect(updated.metadata.resourceVersion).not.toBe(current.metadata.resourceVersion);
    expect(updated.spec?.hosts).toEqual(["reviews", "reviews.prod"]);
    // Labels went through the round trip.
    expect(updated.metadata.labels).toMatchObject({ run });
    expect(updated.metadata.generation).toBe((current.metadata.generation ?? 0) + 1);
  });

  it("replace with a stale resourceVersion → CONFLICT naming kubernetes and the environment; object unchanged", async () => {
    const current = (await k8s.get("VirtualService", ns, "reviews"))!;
    await k8s.replace("VirtualService", ns, "reviews", { ...current, metadata: { ...current.metadata, annotations: { bump: "1" } } });
    const now = (await k8s.get("VirtualService", ns, "reviews"))!;

    const err = await rejection(
      k8s.replace("VirtualService", ns, "reviews", { ...current, spec: { ...current.spec, hosts: ["hijacked"] } }),
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.code).toBe("CONFLICT");
    expect((err as UpstreamError).system).toBe("kubernetes");
    expect((err as UpstreamError).environment).toBe(ENVIRONMENT);
    expect(err.details).toMatchObject({
      system: "kubernetes",
      environment: ENVIRONMENT,
      namespace: ns,
      kind: "VirtualService",
      name: "reviews",
      currentResourceVersion: now.metadata.resourceVersion,
    });
    expect(err.userMessage).toContain(ENVIRONMENT);

    const after = (await k8s.get("VirtualService", ns, "reviews"))!;
    expect(after.metadata.resourceVersion).toBe(now.metadata.resourceVersion);
    expect(after.spec?.hosts).toEqual(["reviews", "reviews.prod"]);
  });

  it("replace of a missing object → NOT_FOUND", async () => {
    const err = await rejection(k8s.replace("VirtualService", ns, "ghost", { ...virtualService("ghost"), metadata: { name: "ghost", resourceVersion: "1" } }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.details).toMatchObject({ system: "kubernetes", environment: ENVIRONMENT, namespace: ns, kind: "VirtualService", name: "ghost" });
  });

  it("dry-run create returns the object and stores nothing", async () => {
    const preview = await k8s.create("VirtualService", ns, virtualService("dry-run-only"), { dryRun: true });
    expect(preview.metadata).toMatchObject({ name: "dry-run-only", namespace: ns });
    expect(preview.spec).toEqual(virtualService("dry-run-only").spec);
    expect(await k8s.get("VirtualService", ns, "dry-run-only")).toBeNull();
  });

  it("dry-run replace returns the would-be object and changes nothing", async () => {
    const current = (await k8s.get("HTTPRoute", ns, "api"))!;
    const preview = await k8s.replace(
      "HTTPRoute",
      ns,
      "api",
      { ...current, spec: { ...current.spec, hostnames: ["dry.example.com"] } },
      { dryRun: true },
    );
    expect(preview.spec?.hostnames).toEqual(["dry.example.com"]);
    const after = (await k8s.get("HTTPRoute", ns, "api"))!;
    expect(after.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
    expect(after.spec?.hostnames).toBeUndefined();
  });

  it("dry-run delete leaves the object in place", async () => {
    // Bug pinned: `?dryRun=All` on a DELETE that carries a DeleteOptions body is ignored by the
    // API server (the body wins), so a "preview" of a delete really deleted the object.
    const current = (await k8s.get("HTTPRoute", ns, "api"))!;
    expect(await k8s.delete("HTTPRoute", ns, "api", { dryRun: true, resourceVersion: current.metadata.resourceVersion })).toEqual({
      state: "deleted",
    });
    expect(await k8s.delete("HTTPRoute", ns, "api", { dryRun: true })).toEqual({ state: "deleted" });
    const after = await k8s.get("HTTPRoute", ns, "api");
    expect(after?.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it("CEL rejection (HTTPRoute path /foo/../bar) → VALIDATION with the path field", async () => {
    const err = await rejection(k8s.create("HTTPRoute", ns, httpRoute("traversal", "/foo/../bar")));
    expect(err.code).toBe("VALIDATION");
    expect(err.status).toBe(400);
    expect(err.fields).toContainEqual({ field: "spec.rules[0].matches[0].path", message: expect.stringContaining("/../") });
    expect(err.details).toMatchObject({ system: "kubernetes", environment: ENVIRONMENT, namespace: ns, kind: "HTTPRoute", name: "traversal" });
    expect(err.userMessage).toContain("spec.rules[0].matches[0].path");
    expect(await k8s.get("HTTPRoute", ns, "traversal")).toBeNull();
  });

  it("schema rejection (VirtualService timeout: abc) → VALIDATION naming the field", async () => {
    const bad = virtualService("bad-timeout");
    const err = await rejection(
      k8s.create("VirtualService", ns, { ...bad, spec: { hosts: ["x"], http: [{ timeout: "abc", route: [{ destination: { host: "x" } }] }] } }),
    );
    expect(err.code).toBe("VALIDATION");
    expect(err.fields.map((f) => f.field)).toContain("spec.http[0].timeout");
  });

  it("delete with a stale resourceVersion precondition → CONFLICT; the object stays", async () => {
    const current = (await k8s.get("VirtualService", ns, "ratings"))!;
    await k8s.replace("VirtualService", ns, "ratings", { ...current, metadata: { ...current.metadata, annotations: { bump: "1" } } });
    const err = await rejection(k8s.delete("VirtualService", ns, "ratings", { resourceVersion: current.metadata.resourceVersion }));
    expect(err.code).toBe("CONFLICT");
    expect(err.details).toMatchObject({ environment: ENVIRONMENT, namespace: ns, kind: "VirtualService", name: "ratings" });
    expect(await k8s.get("VirtualService", ns, "ratings")).not.toBeNull();
  });

  it("delete with the current resourceVersion removes it; deleting again → NOT_FOUND", async () => {
    const current = (await k8s.get("VirtualService", ns, "ratings"))!;
    expect(await k8s.delete("VirtualService", ns, "ratings", { resourceVersion: current.metadata.resourceVersion })).toEqual({ state: "deleted" });
    expect(await k8s.get("VirtualService", ns, "ratings")).toBeNull();
    const err = await rejection(k8s.delete("VirtualService", ns, "ratings"));
    expect(err.code).toBe("NOT_FOUND");
  });

  it("cluster-scoped GatewayClass: no namespace in, none out", async () => {
    const name = `it-${run}-class`;
    const created = await k8s.create("GatewayClass", null, { metadata: { name }, spec: { controllerName: "example.com/switchyard-it" } });
    expect(created.metadata.namespace).toBeUndefined();
    expect((await k8s.get("GatewayClass", null, name))?.metadata.uid).toBe(created.metadata.uid);
    const err = await rejection(k8s.get("GatewayClass", ns, name));
    expect(err.code).toBe("VALIDATION");
    expect(err.fields[0]?.field).toBe("namespace");
    await k8s.delete("GatewayClass", null, name);
    expect(await k8s.get("GatewayClass", null, name)).toBeNull();
  });

  it("ReferenceGrant (v1beta1) round-trips", async () => {
    const created = await k8s.create("ReferenceGrant", ns, {
      metadata: { name: "allow-routes" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "edge" }], to: [{ group: "", kind: "Service" }] },
    });
    expect(created.apiVersion).toBe("gateway.networking.k8s.io/v1beta1");
  });
});

describe("k8s client: nothing invalid reaches the server", () => {
  let proxy: FaultProxy;
  let guarded: K8sClient;

  beforeAll(async () => {
    ({ proxy, client: guarded } = await proxied("pass"));
  });

  const cases: Array<[string, (c: K8sClient) => Promise<unknown>, string]> = [
    ["name Bad_Name on get", (c) => c.get("VirtualService", ns, "Bad_Name"), "name"],
    ["namespace ../x on get", (c) => c.get("VirtualService", "../x", "reviews"), "namespace"],
    ["namespace ../x on list", (c) => c.list("HTTPRoute", "../x"), "namespace"],
    ["name with a slash on delete", (c) => c.delete("HTTPRoute", ns, "api/../../x"), "name"],
    ["name Bad_Name on create", (c) => c.create("VirtualService", ns, virtualService("Bad_Name")), "name"],
    ["a 64-character namespace", (c) => c.get("VirtualService", "a".repeat(64), "reviews"), "namespace"],
    ["a namespaced kind without a namespace", (c) => c.get("HTTPRoute", null, "api"), "namespace"],
    ["an unknown kind", (c) => c.get("Secret" as ResourceKind, ns, "x"), "kind"],
    [
      "replace without resourceVersion",
      (c) => c.replace("VirtualService", ns, "reviews", virtualService("reviews")),
      "metadata.resourceVersion",
    ],
    [
      "replace with a different metadata.name",
      (c) => c.replace("VirtualService", ns, "reviews", { ...virtualService("other"), metadata: { name: "other", resourceVersion: "1" } }),
      "metadata.name",
    ],
    [
      "create with a resourceVersion",
      (c) => c.create("VirtualService", ns, virtualService("fresh", "fresh", { resourceVersion: "1" })),
      "metadata.resourceVersion",
    ],
    [
      "create with a mismatched metadata.namespace",
      (c) => c.create("VirtualService", ns, virtualService("elsewhere", "x", { namespace: "other" })),
      "metadata.namespace",
    ],
    ["create with the wrong apiVersion", (c) => c.create("HTTPRoute", ns, { ...httpRoute("v"), apiVersion: "gateway.networking.k8s.io/v1alpha2" }), "apiVersion"],
    ["list with limit 0", (c) => c.list("VirtualService", ns, { limit: 0 }), "limit"],
  ];

  it.each(cases)("%s → VALIDATION, no request", async (_label, call, field) => {
    const err = await rejection(call(guarded));
    expect(err.code).toBe("VALIDATION");
    expect(err.fields.map((f) => f.field)).toContain(field);
    expect(err.details).toMatchObject({ system: "kubernetes", environment: ENVIRONMENT });
    expect(proxy.forwarded).toBe(0);
  });

  it("the same proxy does forward a valid request", async () => {
    expect((await guarded.get("VirtualService", ns, "reviews"))?.metadata.name).toBe("reviews");
    expect(proxy.forwarded).toBeGreaterThan(0);
  });
});

describe("k8s client: API server faults", () => {
  it("refused connections → UPSTREAM_UNAVAILABLE naming kubernetes and the environment", async () => {
    const { client: down } = await proxied("refuse");
    for (const call of [() => down.get("VirtualService", ns, "reviews"), () => down.create("VirtualService", ns, virtualService("never"))]) {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.code).toBe("UPSTREAM_UNAVAILABLE");
      expect((err as UpstreamError).system).toBe("kubernetes");
      expect((err as UpstreamError).environment).toBe(ENVIRONMENT);
      expect(err.userMessage).toContain("Kubernetes");
      expect(err.userMessage).toContain(ENVIRONMENT);
      expect(err.details).toMatchObject({ namespace: ns, kind: "VirtualService" });
    }
    await expect(down.ping()).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(await k8s.get("VirtualService", ns, "never")).toBeNull();
  });

  it("an API server that never answers → UPSTREAM_TIMEOUT, ended by the configured timeoutMs", async () => {
    const { client: silent } = await proxied("blackhole", { timeoutMs: 500 });
    // Still pending at 499 ms on the client's clock, failed at 500 ms: the configured
    // timeout is what ends the call — measured on a fake clock, not the machine's.
    const settled = await settlesExactlyAt(500, () => silent.get("HTTPRoute", ns, "api"));
    expect(settled).toMatchObject({ ok: false, error: expect.any(UpstreamError) });
    const err = (settled as { error: UpstreamError }).error;
    expect(err.code).toBe("UPSTREAM_TIMEOUT");
    expect(err.details).toMatchObject({ system: "kubernetes", environment: ENVIRONMENT, namespace: ns, kind: "HTTPRoute", name: "api", reason: "timeout" });
    // The client's own timer (timeoutMs) is what ended the call — not a refusal, a reset or the test runner.
    expect(err.message).toMatch(/ after 500 ms$/);

    const write = await rejection(silent.delete("HTTPRoute", ns, "api"));
    expect(write.code).toBe("UPSTREAM_TIMEOUT");
    // The TLS handshake never finished, so the request cannot have reached the server.
    expect(write.details).toMatchObject({ outcome: "not-applied" });
    expect(await k8s.get("HTTPRoute", ns, "api")).not.toBeNull();
  });
});
