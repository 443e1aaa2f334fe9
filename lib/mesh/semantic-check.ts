import "server-only";
/**
 * The mesh rules run against the live namespace: the namespace's Istio objects (the ones being
 * validated replace their live versions), the registry and the cluster's Services.
 */
import type { EnvironmentRow } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/errors";
import type { K8sClient } from "@/lib/k8s/client";
import type { KubeObject } from "@/lib/k8s/schemas";
import type { EditableObject } from "@/lib/kube-objects/model/diff";
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";
import { gatherFacts } from "@/lib/mesh/facts";
import { MESH_KINDS, meshKindOf } from "@/lib/mesh/model/kinds";
import { validateMeshObjects, type MeshFacts, type MeshObject } from "@/lib/mesh/model/validate";

export function toMeshObject(o: EditableObject | KubeObject, namespace: string): MeshObject | null {
  const kind = meshKindOf(o);
  const name = o.metadata?.name;
  if (!kind || typeof name !== "string") return null;
  const spec = o.spec && typeof o.spec === "object" ? (o.spec as Record<string, unknown>) : {};
  return { kind, name, namespace: typeof o.metadata.namespace === "string" ? o.metadata.namespace : namespace, spec };
}

/** Every Istio object of the namespace (kinds the cluster does not serve are skipped). */
export async function namespaceObjects(client: K8sClient, namespace: string): Promise<KubeObject[]> {
  const lists = await Promise.all(
    MESH_KINDS.map(async (k) => {
      const items: KubeObject[] = [];
      let cont: string | undefined;
      try {
        do {
          const page = await client.list(k, namespace, { limit: 500, continue: cont });
          items.push(...page.items);
          cont = page.continue;
        } while (cont && items.length < 20_000);
      } catch (e) {
        if (isAppError(e) && e.code === "NOT_FOUND") return [];
        throw e;
      }
      return items;
    }),
  );
  return lists.flat();
}

export interface SemanticResult {
  issues: ObjectIssue[];
  facts: MeshFacts;
  notes: Array<{ message: string; messageZh: string }>;
}

/** The semantic and cross-layer issues of `targets`, judged in their namespace. */
export async function semanticIssues(
  actor: Actor,
  row: EnvironmentRow,
  client: K8sClient,
  namespace: string,
  targets: readonly MeshObject[],
  live?: readonly KubeObject[],
): Promise<SemanticResult> {
  const objects = live ?? (await namespaceObjects(client, namespace));
  const context = objects.map((o) => toMeshObject(o, namespace)).filter((o): o is MeshObject => o !== null);
  const keys = new Set(targets.map((t) => `${t.kind}/${t.name}`));
  const { facts, notes } = await gatherFacts(actor, row, client, [...targets, ...context.filter((c) => !keys.has(`${c.kind}/${c.name}`))]);
  return { issues: validateMeshObjects(targets, context, facts), facts, notes };
}
