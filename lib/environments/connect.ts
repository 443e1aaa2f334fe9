/**
 * Builds the backend clients of an environment from its stored record (never from request
 * parameters, docs/security.md §30), and answers "test connection" with a precise verdict per
 * backend. Credentials are decrypted here, used, and never returned. Every client built here
 * resolves and checks its backend's address at each connection, not only at registration
 * (GUARDED; docs/security.md): a name that later resolves to a private address is refused.
 */
import "server-only";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { environmentSecrets, resolveEnvironmentRow } from "@/lib/environments/environments";
import { isAppError } from "@/lib/errors";
import { createK8sClient, type K8sClient } from "@/lib/k8s/client";
import { createNacosClient, type NacosClient } from "@/lib/nacos/client";
import type { ConnectOptions } from "@/lib/net/guarded-lookup";
import { prometheusClientFor } from "@/lib/prometheus/connect";
import { createZookeeperClient, type ZookeeperClient } from "@/lib/zookeeper/client";

const GUARDED: ConnectOptions = { guardAddresses: true };

/**
 * One Nacos client per environment while its stored connection is unchanged, so its Nacos
 * token is reused: a fresh client signs in first, and Nacos checks the password with bcrypt
 * (~90 ms, which made every uncached service list ~30× slower than Nacos; bench/registry).
 * Any change to the row's name, version, URL, user or stored credentials gives a new client.
 * The key is the row's id only — callers resolve and authorize the row before asking.
 */
const NACOS_CLIENTS_MAX = 256;
const nacosClients = new Map<string, { fingerprint: string; client: NacosClient }>();

export function nacosClientFor(row: EnvironmentRow): NacosClient | null {
  if (row.registry?.kind !== "nacos") return null;
  const fingerprint = JSON.stringify([row.name, row.version, row.registry.url, row.registry.username ?? null, row.secrets]);
  const hit = nacosClients.get(row.id);
  if (hit?.fingerprint === fingerprint) return hit.client;
  const s = environmentSecrets(row);
  const client = createNacosClient({ environment: row.name, baseUrl: row.registry.url, username: row.registry.username, password: s.nacosPassword, accessToken: s.nacosAccessToken, timeoutMs: 5_000 }, GUARDED);
  nacosClients.delete(row.id);
  nacosClients.set(row.id, { fingerprint, client });
  if (nacosClients.size > NACOS_CLIENTS_MAX) nacosClients.delete(nacosClients.keys().next().value!);
  return client;
}

/** `chroot`: every path is resolved under the environment's registry root, which must exist. */
export function zookeeperClientFor(row: EnvironmentRow, options: { chroot?: boolean } = {}): ZookeeperClient | null {
  if (row.registry?.kind !== "zookeeper") return null;
  return createZookeeperClient({ environment: row.name, hosts: row.registry.hosts, timeoutMs: 5_000, root: options.chroot ? row.registry.root : undefined }, GUARDED);
}

export function k8sClientFor(row: EnvironmentRow): K8sClient | null {
  if (!row.kubernetes) return null;
  const s = environmentSecrets(row);
  return createK8sClient({
    environment: row.name,
    apiUrl: row.kubernetes.apiUrl,
    caPem: row.kubernetes.caPem,
    clientCertPem: s.k8sClientCertPem,
    clientKeyPem: s.k8sClientKeyPem,
    bearerToken: s.k8sBearerToken,
    timeoutMs: 5_000,
  }, GUARDED);
}

export interface Verdict {
  system: "nacos" | "zookeeper" | "kubernetes" | "prometheus";
  ok: boolean;
  latencyMs: number;
  /** Plain words for people: what answered, or what failed and why. */
  message: string;
  facts?: Record<string, unknown>;
}

async function check(system: Verdict["system"], fn: () => Promise<{ message: string; facts?: Record<string, unknown> }>): Promise<Verdict> {
  const t0 = Date.now();
  try {
    const r = await fn();
    return { system, ok: true, latencyMs: Date.now() - t0, ...r };
  } catch (e) {
    return { system, ok: false, latencyMs: Date.now() - t0, message: isAppError(e) ? e.userMessage : "unexpected error; see the server log" };
  }
}

/** Tries every configured backend of an environment. Who may: environment.admin. */
export async function testEnvironment(actor: Actor, name: string): Promise<Verdict[]> {
  const row = await resolveEnvironmentRow(actor, name, "environment.admin");
  const verdicts: Array<Promise<Verdict>> = [];
  const nacos = nacosClientFor(row);
  if (nacos) {
    verdicts.push(
      check("nacos", async () => {
        const p = await nacos.ping();
        return { message: `Nacos ${p.version ?? ""} answered; signed in as ${p.username ?? "anonymous"}; ${p.namespaces} namespace(s).`, facts: { version: p.version, namespaces: p.namespaces } };
      }),
    );
  }
  const zk = zookeeperClientFor(row);
  if (zk) {
    verdicts.push(
      check("zookeeper", async () => {
        try {
          const children = await zk.getChildren(row.registry?.kind === "zookeeper" ? row.registry.root : "/");
          return { message: `ZooKeeper answered; ${children?.length ?? 0} node(s) under the root.` };
        } finally {
          await zk.close();
        }
      }),
    );
  }
  const k8s = k8sClientFor(row);
  if (k8s) {
    verdicts.push(
      check("kubernetes", async () => {
        try {
          const p = await k8s.ping();
          const served = Object.values(p.servedKinds).filter(Boolean).length;
          const version = kubernetesVersion(p.version);
          return { message: `Kubernetes ${version} answered${p.ready ? "" : " (not ready)"}; ${served} of ${Object.keys(p.servedKinds).length} managed kinds served.`, facts: { version, gitVersion: p.version.gitVersion, ready: p.ready } };
        } finally {
          k8s.close();
        }
      }),
    );
  }
  // The Prometheus the golden signals read (lib/overview/golden-signals.ts), through the same
  // client, address guard and timeout (SWITCHYARD_PROMETHEUS_TIMEOUT_MS).
  const prometheus = prometheusClientFor(row);
  if (prometheus) {
    verdicts.push(
      check("prometheus", async () => {
        const p = await prometheus.ping();
        return { message: `Prometheus ${p.version} answered.`, facts: { version: p.version } };
      }),
    );
  }
  return Promise.all(verdicts);
}

/**
 * The version an operator compares with their upgrade plan: major.minor ("1.34", a provider's
 * "1.30+" kept as "1.30"), which every API server reports; the build string (often
 * "v0.0.0-master+$Format:%H$" from a source build) only when major.minor is missing.
 */
export function kubernetesVersion(v: { major: string; minor: string; gitVersion: string }): string {
  const major = v.major.replace(/\D+$/, "");
  const minor = v.minor.replace(/\D+$/, "");
  return major && minor ? `${major}.${minor}` : v.gitVersion;
}
