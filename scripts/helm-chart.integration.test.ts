/**
 * The Helm chart (deploy/helm/switchyard, issue #17 item 3): `helm lint --strict` passes and
 * `helm template` renders, with helm built from the Go module proxy (deploy/helm/helm.sh, cached).
 * The rendered manifests hold the invariants operators rely on:
 * - the console runs non-root with a read-only root filesystem, no privilege escalation, no
 *   capabilities, resources set, liveness /api/health, readiness /api/ready, a preStop hook and a
 *   grace period longer than the drain;
 * - credentials only by reference to a Secret (no value of one in any manifest, nothing secret in
 *   the ConfigMap); the console gets the app role's DATABASE_URL only, the migration Job (a
 *   pre-install/pre-upgrade hook) the owner's DATABASE_MIGRATION_URL;
 * - replicas ≥ 2 with a PodDisruptionBudget, a NetworkPolicy, no service-account token;
 * - metrics off by default (no port anywhere), and when on: a port of its own, never behind the
 *   Ingress, scraped by the ServiceMonitor (docs/security.md §44).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const CHART = path.join(ROOT, "deploy", "helm", "switchyard");
const KUBE_VERSION = "1.31.0";

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> } & Record<string, unknown>;
interface Container {
  name: string;
  args?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: unknown };
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
}

let helm = "";

async function render(...set: string[]): Promise<Obj[]> {
  const args = ["template", "sy", CHART, "--kube-version", KUBE_VERSION, ...set.flatMap((s) => ["--set", s])];
  const { stdout } = await run(helm, args, { maxBuffer: 1 << 24 });
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const one = (objs: Obj[], kind: string) => {
  const found = objs.filter((o) => o.kind === kind);
  expect(found.map((o) => o.kind), kind).toEqual([kind]);
  return found[0]!;
};
const podOf = (o: Obj) => (o.spec as { template: { spec: PodSpec } }).template.spec;
const envNames = (c: Container) => (c.env ?? []).map((e) => e.name);

beforeAll(async () => {
  // Built once from the Go module proxy (minutes on a fresh machine), then cached.
  helm = (await run("bash", [path.join(ROOT, "deploy", "helm", "helm.sh")], { maxBuffer: 1 << 24 })).stdout.trim();
}, 1_800_000);

describe("Helm chart", () => {
  it("passes helm lint --strict", async () => {
    const { stdout } = await run(helm, ["lint", "--strict", CHART, "--kube-version", KUBE_VERSION]);
    expect(stdout).toContain("0 chart(s) failed");
  });

  it("renders a console that runs non-root, read-only, probed, drained and with resources", async () => {
    const objs = await render();
    const deployment = one(objs, "Deployment");
    expect((deployment.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
    const pod = podOf(deployment);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [c] = pod.containers;
    expect(c!.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(c!.resources?.requests?.cpu && c!.resources?.requests?.memory && c!.resources?.limits?.memory, "cpu and memory requests, memory limit").toBeTruthy();
    expect(c!.livenessProbe?.httpGet?.path).toBe("/api/health");
    expect(c!.readinessProbe?.httpGet?.path).toBe("/api/ready");
    expect(c!.lifecycle?.preStop).toBeDefined();
    const config = one(objs, "ConfigMap").data!;
    expect(pod.terminationGracePeriodSeconds!).toBeGreaterThan(Number(config.SWITCHYARD_SHUTDOWN_DELAY_SECONDS) + Number(config.SWITCHYARD_SHUTDOWN_TIMEOUT_SECONDS));
    expect(one(objs, "PodDisruptionBudget").spec).toMatchObject({ minAvailable: 1 });
    one(objs, "NetworkPolicy");
    one(objs, "Service");
    expect(objs.filter((o) => o.kind === "Ingress" || o.kind === "ServiceMonitor")).toEqual([]);
  });

  it("takes credentials from a Secret only: app role for the console, owner role for the migration Job", async () => {
    const objs = await render("existingSecret=sy-credentials", "config.SWITCHYARD_LDAP_URL=ldaps://ldap.example.com");
    expect(objs.filter((o) => o.kind === "Secret"), "the chart creates no Secret").toEqual([]);
    const console = podOf(one(objs, "Deployment")).containers[0]!;
    const job = one(objs, "Job");
    expect(job.metadata.annotations?.["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
    const migrate = podOf(job).containers[0]!;
    expect(migrate.args).toEqual(["--migrate-only"]);
    const fromSecret = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name;
    for (const name of ["SWITCHYARD_SECRET", "SWITCHYARD_ENCRYPTION_KEY", "DATABASE_URL", "SWITCHYARD_LDAP_BIND_PASSWORD"]) {
      expect(fromSecret(console, name), `console ${name}`).toBe("sy-credentials");
      expect(fromSecret(migrate, name), `job ${name}`).toBe("sy-credentials");
    }
    expect(fromSecret(migrate, "DATABASE_MIGRATION_URL")).toBe("sy-credentials");
    expect(envNames(console), "the console never gets the owner role").not.toContain("DATABASE_MIGRATION_URL");
    // Nothing secret-looking as a plain value, anywhere.
    const plain = [...objs.flatMap((o) => (o.kind === "ConfigMap" ? Object.entries(o.data ?? {}) : [])), ...[console, migrate].flatMap((c) => (c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!] as const))];
    expect(plain.filter(([k, v]) => /SECRET|PASSWORD|TOKEN|KEY$|DATABASE_/.test(k) || /:\/\/[^/\s]*:[^/\s]*@/.test(v))).toEqual([]);
    expect(one(objs, "ConfigMap").data?.SWITCHYARD_LDAP_URL).toBe("ldaps://ldap.example.com");
  });

  it("keeps metrics off by default; when on, on their own port, never behind the Ingress", async () => {
    const off = await render("ingress.enabled=true");
    const offConsole = podOf(one(off, "Deployment")).containers[0]!;
    expect(offConsole.ports?.map((p) => p.name)).toEqual(["http"]);
    expect(one(off, "ConfigMap").data?.SWITCHYARD_METRICS_PORT).toBeUndefined();

    const on = await render("metrics.enabled=true", "metrics.serviceMonitor.enabled=true", "ingress.enabled=true", "ingress.tlsSecretName=sy-tls");
    const port = Number(one(on, "ConfigMap").data?.SWITCHYARD_METRICS_PORT);
    expect(podOf(one(on, "Deployment")).containers[0]!.ports).toContainEqual({ name: "metrics", containerPort: port });
    const ingress = JSON.stringify(one(on, "Ingress").spec);
    expect(ingress).toContain('"name":"http"');
    expect(ingress).not.toContain("metrics");
    expect(JSON.stringify(one(on, "ServiceMonitor").spec)).toContain('"port":"metrics"');
    const policy = JSON.stringify(one(on, "NetworkPolicy").spec);
    expect(policy).toContain('"port":"metrics"');
  });
});
