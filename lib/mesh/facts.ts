import "server-only";
/**
 * The facts the cross-layer rules judge against (lib/mesh/model/validate.ts): the environment's
 * registry (Nacos or ZooKeeper) — every service name, and the instances of the services the
 * objects refer to — and the cluster's Kubernetes Services where it serves the core API. Read
 * as the actor (service.read in scope); what the actor may not read, or what is down, is left
 * out and the rules that need it are skipped (said in `notes`).
 */
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/errors";
import type { K8sClient } from "@/lib/k8s/client";
import { logger } from "@/lib/logger";
import { getService, listServices } from "@/lib/registry/services";
import { referencedRegistryServices, type MeshFacts, type MeshObject, type RegistryInstanceFact } from "@/lib/mesh/model/validate";

export interface GatheredFacts {
  facts: MeshFacts;
  /** Why a source is missing, for people (en, zh). */
  notes: Array<{ message: string; messageZh: string }>;
}

const PAGE = 200;
const MAX_SERVICES = 50_000;

export async function gatherFacts(actor: Actor, row: EnvironmentRow, client: K8sClient, objects: readonly MeshObject[]): Promise<GatheredFacts> {
  const notes: GatheredFacts["notes"] = [];
  const [kubeServices, registry] = await Promise.all([
    client.listServiceNames().then(
      (list) => (list ? new Set(list.map((s) => `${s.namespace}/${s.name}`)) : null),
      (e: unknown) => {
        logger.warn("mesh validation: Kubernetes Services not readable", { environment: row.name, err: e });
        notes.push({ message: "Kubernetes Services could not be read; hosts were checked against the registry and ServiceEntries only.", messageZh: "无法读取 Kubernetes Service；主机仅对照注册中心和 ServiceEntry 检查。" });
        return null;
      },
    ),
    registryFacts(actor, row, objects, notes),
  ]);
  return { facts: { kubeServices, registry }, notes };
}

async function registryFacts(actor: Actor, row: EnvironmentRow, objects: readonly MeshObject[], notes: GatheredFacts["notes"]): Promise<MeshFacts["registry"]> {
  const reg = row.registry;
  if (!reg) return null;
  const namespaces = reg.kind === "nacos" ? (reg.namespaces.length ? reg.namespaces : [""]) : [""];
  const where = new Map<string, { namespace: string; group: string }>();
  try {
    for (const namespace of namespaces) {
      for (let page = 1; ; page++) {
        const p = await listServices(actor, row.name, { namespace, page, pageSize: PAGE, sort: "name" });
        for (const s of p.items) if (!where.has(s.name)) where.set(s.name, { namespace, group: s.group });
        if (page >= p.pages || where.size >= MAX_SERVICES) break;
      }
    }
  } catch (e) {
    const system = reg.kind === "nacos" ? "Nacos" : "ZooKeeper";
    logger.warn("mesh validation: registry not readable", { environment: row.name, err: isAppError(e) ? e.message : e });
    notes.push({ message: `The ${system} registry could not be read (${isAppError(e) ? e.userMessage : "unexpected error"}); the registry rules were skipped.`, messageZh: `无法读取 ${system} 注册中心，已跳过注册中心相关规则。` });
    return null;
  }
  const services = new Map<string, readonly RegistryInstanceFact[] | null>();
  for (const name of where.keys()) services.set(name, null);
  await Promise.all(
    referencedRegistryServices(objects, services).map(async (name) => {
      const w = where.get(name)!;
      try {
        const detail = await getService(actor, row.name, { namespace: w.namespace, group: w.group, serviceName: name });
        services.set(name, detail.instances.map((i) => ({ ip: i.ip, port: i.port, healthy: i.healthy, enabled: i.enabled, metadata: i.metadata ?? {} })));
      } catch (e) {
        logger.warn("mesh validation: instances not readable", { environment: row.name, service: name, err: isAppError(e) ? e.message : e });
      }
    }),
  );
  return { kind: reg.kind, services };
}
