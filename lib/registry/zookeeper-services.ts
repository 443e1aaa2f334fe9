/**
 * Registry services of an environment whose registry is ZooKeeper, in the same shapes as the
 * Nacos side (lib/registry/services.ts dispatches here) so the services UI serves both:
 * - Dubbo layout: `<root>/dubbo/<interface>/{providers,consumers}/<url-encoded Dubbo URL>`;
 *   one list item per interface and Dubbo group ("—" when the providers carry none).
 * - Spring Cloud layout: `<root>/services/<name>/<id>` with a Curator ServiceInstance JSON.
 * ZooKeeper has no namespaces: the registry counts as the "public" namespace for scope.
 * Reads are scoped (service.read; 404 outside scope), cached briefly with coalescing, and
 * each load opens one ZooKeeper session that is always closed.
 */
import "server-only";
import pLimit from "p-limit";
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { zookeeperClientFor } from "@/lib/environments/connect";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/schemas";
import { cachedRead } from "@/lib/registry/cache";
import type { DubboEndpoint, ServiceDetailView } from "@/lib/registry/service-views";
import { validateZnodePath, type ZookeeperClient } from "@/lib/zookeeper/client";
import { parseDubboZnodeName, parseSpringCloudInstance, type DubboUrl } from "@/lib/zookeeper/dubbo";

const CACHE_MS = 2_000;
/** Parallel ZooKeeper reads per listing: enough to hide latency, few enough to be polite. */
const PARALLEL_READS = 8;
/** The group shown for Dubbo providers without a group, and for Spring Cloud services. */
export const NO_GROUP = "—";
const CLUSTER = "DEFAULT";

export interface ZookeeperService extends NacosService {
  /** Dubbo only: consumers registered for this interface and group. */
  consumerCount?: number;
}

export interface ServicePage {
  total: number;
  page: number;
  pages: number;
  items: ZookeeperService[];
}

interface ListInput {
  namespace: string;
  group?: string;
  search?: string;
  page: number;
  pageSize: number;
}

interface ServiceKey {
  namespace: string;
  group: string;
  serviceName: string;
}

/** The environment, checked for service.read in scope (404 outside it) and for a ZooKeeper registry. */
async function zookeeperEnvironment(actor: Actor, environment: string | EnvironmentRow, namespace: string) {
  const row = typeof environment === "string" ? await resolveEnvironmentRow(actor, environment, "environment.read") : environment;
  const scope = { environment: { name: row.name, labels: row.labels }, namespace: "public" };
  if (!decide(actor.grants, "service.read", scope)) throw new AppError("NOT_FOUND", `services of ${row.name} not visible`);
  if (row.registry?.kind !== "zookeeper") {
    throw new AppError("VALIDATION", "not a ZooKeeper environment", { fields: [{ field: "environment", message: "this environment has no ZooKeeper registry" }] });
  }
  if (namespace !== "" && namespace !== "public") {
    throw new AppError("VALIDATION", "ZooKeeper registries have no namespaces", { fields: [{ field: "namespace", message: "must be empty for a ZooKeeper registry" }] });
  }
  return { row, layout: row.registry.layout };
}

/** Runs `fn` with a client rooted at the environment's registry root; the session always ends. */
async function withClient<T>(row: EnvironmentRow, fn: (zk: ZookeeperClient) => Promise<T>): Promise<T> {
  const zk = zookeeperClientFor(row, { chroot: true })!;
  try {
    return await fn(zk);
  } finally {
    await zk.close();
  }
}

/** Child names that can be addressed as one path segment; anything else is skipped, never thrown. */
function safeChildren(parent: string, names: string[] | null): string[] {
  return (names ?? []).filter((n) => {
    try {
      validateZnodePath(`${parent}/${n}`);
      return true;
    } catch {
      return false;
    }
  });
}

function matches(name: string, search: string | undefined): boolean {
  return !search || name.toLowerCase().includes(search.toLowerCase());
}

function paginate(all: ZookeeperService[], page: number, pageSize: number): ServicePage {
  const total = all.length;
  return { total, page, pages: Math.max(1, Math.ceil(total / pageSize)), items: all.slice((page - 1) * pageSize, page * pageSize) };
}

// --- Dubbo ----------------------------------------------------------------------------------

interface DubboInterface {
  /**
   * False when the child has neither `providers` nor `consumers`: Dubbo's own nodes beside the
   * interfaces (`config`, `metadata`, `mapping`, a stray `routers`) are not services.
   */
  registered: boolean;
  providers: DubboUrl[];
  consumers: DubboUrl[];
}

async function readDubboInterface(zk: ZookeeperClient, iface: string): Promise<DubboInterface> {
  const base = `/dubbo/${iface}`;
  const [providers, consumers] = await Promise.all([zk.getChildren(`${base}/providers`), zk.getChildren(`${base}/consumers`)]);
  const parse = (names: string[] | null, side: "provider" | "consumer") =>
    (names ?? []).map(parseDubboZnodeName).filter((u): u is DubboUrl => u !== null && (u.side ?? side) === side);
  return { registered: providers !== null || consumers !== null, providers: parse(providers, "provider"), consumers: parse(consumers, "consumer") };
}

/** A Dubbo URL as the service page shows it (credentials were already dropped by the parser). */
function endpoint(u: DubboUrl): DubboEndpoint {
  return { protocol: u.protocol, host: u.host, port: u.port, interface: u.interface, version: u.version, group: u.group, application: u.application, methods: u.methods };
}

const groupOf = (u: DubboUrl) => u.group ?? NO_GROUP;

function dubboItems(iface: string, d: DubboInterface): ZookeeperService[] {
  if (!d.registered) return [];
  const groups = new Set([...d.providers.map(groupOf), ...d.consumers.map(groupOf)]);
  if (groups.size === 0) groups.add(NO_GROUP);
  return [...groups].map((group) => {
    const providers = d.providers.filter((p) => groupOf(p) === group);
    return {
      name: iface,
      group,
      clusterCount: providers.length > 0 ? 1 : 0,
      instanceCount: providers.length,
      healthyInstanceCount: providers.filter((p) => !p.disabled).length,
      consumerCount: d.consumers.filter((c) => groupOf(c) === group).length,
    };
  });
}

function dubboInstance(iface: string, p: DubboUrl): NacosServiceInstance {
  const metadata: Record<string, string> = { side: p.side ?? "provider", protocol: p.protocol };
  if (p.application) metadata.application = p.application;
  if (p.version) metadata.version = p.version;
  if (p.methods.length) metadata.methods = p.methods.join(",");
  return {
    ip: p.host,
    port: p.port ?? 0,
    weight: p.weight,
    healthy: !p.disabled,
    enabled: !p.disabled,
    // Dubbo registers providers as ephemeral nodes unless dynamic=false.
    ephemeral: p.params.dynamic !== "false",
    clusterName: CLUSTER,
    metadata,
    serviceName: iface,
    group: groupOf(p),
  };
}

// --- Spring Cloud ---------------------------------------------------------------------------

async function readSpringCloudInstances(zk: ZookeeperClient, name: string): Promise<NacosServiceInstance[]> {
  const base = `/services/${name}`;
  const ids = safeChildren(base, await zk.getChildren(base));
  const read = await pLimit(PARALLEL_READS).map(ids, async (id) => {
    const node = await zk.getData(`${base}/${id}`);
    const inst = node && parseSpringCloudInstance(node.data);
    if (!node || !inst) return null;
    // Spring Cloud Zookeeper publishes the status as instance_status (UP, OUT_OF_SERVICE, …).
    const status = inst.metadata.instance_status?.toUpperCase();
    const instance: NacosServiceInstance = {
      ip: inst.address,
      port: inst.port ?? inst.sslPort ?? 0,
      weight: 1,
      healthy: status === undefined || status === "UP",
      enabled: status !== "OUT_OF_SERVICE",
      ephemeral: node.stat.ephemeralOwner !== null,
      clusterName: CLUSTER,
      metadata: inst.metadata,
      serviceName: name,
      group: NO_GROUP,
    };
    return instance;
  });
  return read.filter((i): i is NacosServiceInstance => i !== null);
}

function springCloudItem(name: string, instances: NacosServiceInstance[]): ZookeeperService {
  return {
    name,
    group: NO_GROUP,
    clusterCount: instances.length > 0 ? 1 : 0,
    instanceCount: instances.length,
    healthyInstanceCount: instances.filter((i) => i.healthy).length,
  };
}

// --- reads ----------------------------------------------------------------------------------

/**
 * A page of services, sorted by name (then group), searched by name (case-insensitive
 * substring). Who may: service.read in the environment's scope; 404 outside it.
 */
export async function listZookeeperServices(actor: Actor, environment: string | EnvironmentRow, input: ListInput): Promise<ServicePage> {
  const { row, layout } = await zookeeperEnvironment(actor, environment, input.namespace);
  // The whole match list is cached, so paging through it costs no further ZooKeeper reads.
  const key = `zksvc:${row.name}:${input.search ?? ""}:${input.group ?? ""}`;
  const all = await cachedRead(key, CACHE_MS, () =>
    withClient(row, async (zk) => {
      const top = layout === "dubbo" ? "/dubbo" : "/services";
      const names = safeChildren(top, await zk.getChildren(top)).filter((n) => matches(n, input.search));
      const items =
        layout === "dubbo"
          ? (await pLimit(PARALLEL_READS).map(names, async (n) => dubboItems(n, await readDubboInterface(zk, n)))).flat()
          : await pLimit(PARALLEL_READS).map(names, async (n) => springCloudItem(n, await readSpringCloudInstances(zk, n)));
      return items
        .filter((s) => input.group === undefined || s.group === input.group)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    }),
  );
  return paginate(all, input.page, input.pageSize);
}

/**
 * One service's instances (Dubbo: the providers of that group, with application, version,
 * methods and side in the metadata). Who may: service.read in scope; 404 outside it or when
 * the service is not registered.
 */
export async function getZookeeperService(actor: Actor, environment: string | EnvironmentRow, key: ServiceKey): Promise<ServiceDetailView> {
  const { row, layout } = await zookeeperEnvironment(actor, environment, key.namespace);
  const top = layout === "dubbo" ? "/dubbo" : "/services";
  const path = validateZnodePath(`${top}/${key.serviceName}`, "serviceName");
  return cachedRead(`zkinst:${row.name}:${layout === "dubbo" ? key.group : NO_GROUP}:${key.serviceName}`, CACHE_MS, () =>
    withClient(row, async (zk) => {
      if (!(await zk.exists(path))) throw new AppError("NOT_FOUND", `service ${key.serviceName} not registered in ${row.name}`, { userMessage: `Service ${key.serviceName} is not registered in ${row.name}.` });
      // Spring Cloud has no groups: whatever group was asked for (the API defaults to DEFAULT_GROUP).
      if (layout === "spring-cloud") return { instances: await readSpringCloudInstances(zk, key.serviceName) };
      const d = await readDubboInterface(zk, key.serviceName);
      if (!d.registered) throw new AppError("NOT_FOUND", `${key.serviceName} in ${row.name} is not a Dubbo service`, { userMessage: `${key.serviceName} is not a Dubbo service in ${row.name}.` });
      const providers = d.providers.filter((p) => groupOf(p) === key.group);
      const consumers = d.consumers.filter((c) => groupOf(c) === key.group);
      return {
        instances: providers.map((p) => dubboInstance(key.serviceName, p)),
        consumerCount: consumers.length,
        providers: providers.map(endpoint),
        consumers: consumers.map(endpoint),
      };
    }),
  );
}

/** After a znode write, the next service read must see it. */
export function zookeeperCachePrefixes(environment: string): string[] {
  return [`zksvc:${environment}:`, `zkinst:${environment}:`];
}
