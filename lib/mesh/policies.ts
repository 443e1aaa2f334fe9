import "server-only";
/**
 * Reads of the Mesh area: the Istio objects of an environment's namespace with a validation
 * badge each, one object with its status, issues, references and revisions, and the validation
 * of YAML or objects before anything is applied (POST …/mesh/validate). Authorized like every
 * read: mesh.policy.read in the environment and Kubernetes namespace, else 404.
 */
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { KubeObject } from "@/lib/k8s/schemas";
import { editablePart, type EditableObject } from "@/lib/kube-objects/model/diff";
import { hasErrors, type ObjectIssue } from "@/lib/kube-objects/model/issues";
import { parseYamlObjects, toYaml, type RevisionView } from "@/lib/kube-objects";
import { MESH_KINDS, MESH_KIND_NAMES, type MeshKind } from "@/lib/mesh/model/kinds";
import { badgeOf, meshReferences, type MeshObject, type MeshReference } from "@/lib/mesh/model/validate";
import { MESH } from "./objects";
import { namespaceObjects, semanticIssues, toMeshObject } from "./semantic-check";

const Namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name").max(63);

export const PolicyListInput = z.object({
  namespace: Namespace,
  kind: z.enum(MESH_KINDS).optional(),
  host: z.string().max(253).optional(),
  badge: z.enum(["error", "warning", "ok"]).optional(),
});
export type PolicyListInput = z.infer<typeof PolicyListInput>;

export interface PolicySummary {
  kind: MeshKind;
  name: string;
  namespace: string;
  resourceVersion: string;
  createdAt: string;
  hosts: string[];
  badge: "error" | "warning" | "ok";
  errors: number;
  warnings: number;
}

export interface PolicyList {
  items: PolicySummary[];
  total: number;
  /** Kinds the cluster does not serve (CRD missing). */
  missingKinds: MeshKind[];
  counts: { error: number; warning: number; ok: number };
  notes: Array<{ message: string; messageZh: string }>;
}

/** The hosts an object is about, for the host filter. */
function hostsOf(o: MeshObject): string[] {
  const s = o.spec;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  if (o.kind === "VirtualService" || o.kind === "ServiceEntry" ) return list(s.hosts);
  if (o.kind === "DestinationRule") return typeof s.host === "string" ? [s.host] : [];
  if (o.kind === "IstioGateway") return (Array.isArray(s.servers) ? s.servers : []).flatMap((x) => list((x as { hosts?: unknown }).hosts));
  if (o.kind === "Sidecar") return (Array.isArray(s.egress) ? s.egress : []).flatMap((x) => list((x as { hosts?: unknown }).hosts));
  return [];
}

async function judged(actor: Actor, environment: string, namespace: string) {
  return MESH.withScope(actor, environment, namespace, "mesh.policy.read", async (rs) => {
    const live = await namespaceObjects(rs.client, namespace);
    const objects = live.map((o) => ({ live: o, mesh: toMeshObject(o, namespace) })).filter((x): x is { live: KubeObject; mesh: MeshObject } => x.mesh !== null);
    const sem = await semanticIssues(actor, rs.row, rs.client, namespace, objects.map((o) => o.mesh), live);
    return { objects, ...sem };
  });
}

/** The namespace's Istio objects with a badge each, filtered by kind, host (substring) and badge. */
export async function listPolicies(actor: Actor, environment: string, input: PolicyListInput): Promise<PolicyList> {
  const { objects, issues, notes } = await judged(actor, environment, input.namespace);
  const byObject = new Map<string, ObjectIssue[]>();
  for (const i of issues) {
    const k = `${i.object?.kind}/${i.object?.name}`;
    byObject.set(k, [...(byObject.get(k) ?? []), i]);
  }
  const all: PolicySummary[] = objects.map(({ live, mesh }) => {
    const own = byObject.get(`${mesh.kind}/${mesh.name}`) ?? [];
    return {
      kind: mesh.kind,
      name: mesh.name,
      namespace: mesh.namespace,
      resourceVersion: live.metadata.resourceVersion,
      createdAt: live.metadata.creationTimestamp,
      hosts: hostsOf(mesh),
      badge: badgeOf(own),
      errors: own.filter((i) => i.severity === "error").length,
      warnings: own.filter((i) => i.severity === "warning").length,
    };
  });
  const counts = { error: 0, warning: 0, ok: 0 };
  for (const s of all) counts[s.badge]++;
  const host = input.host?.trim().toLowerCase();
  const items = all
    .filter((s) => (!input.kind || s.kind === input.kind) && (!input.badge || s.badge === input.badge) && (!host || s.hosts.some((h) => h.toLowerCase().includes(host))))
    .sort((a, b) => MESH_KINDS.indexOf(a.kind) - MESH_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
  return { items, total: items.length, missingKinds: [], counts, notes };
}

export interface PolicyDetail {
  kind: MeshKind;
  object: KubeObject;
  editable: EditableObject;
  /** `editable` as YAML, for the read-only view and the editor. */
  yaml: string;
  status: unknown;
  issues: ObjectIssue[];
  badge: "error" | "warning" | "ok";
  references: { outgoing: MeshReference[]; incoming: MeshReference[] };
  revisions: RevisionView[];
}

export const PolicyRef = z.object({ environment: z.string().min(1), kind: z.enum(MESH_KINDS), namespace: Namespace, name: z.string().min(1).max(253) });

/** One object: as stored, its status, its issues, what it refers to and what refers to it, its revisions. */
export async function getPolicy(actor: Actor, ref: z.infer<typeof PolicyRef>): Promise<PolicyDetail> {
  const { objects, issues } = await judged(actor, ref.environment, ref.namespace);
  const hit = objects.find((o) => o.mesh.kind === ref.kind && o.mesh.name === ref.name);
  if (!hit) throw new AppError("NOT_FOUND", `${ref.kind} ${ref.namespace}/${ref.name} not found`, { userMessage: `${MESH_KIND_NAMES[ref.kind]} ${ref.namespace}/${ref.name} does not exist.`, details: { system: "kubernetes", environment: ref.environment } });
  const refs = meshReferences(objects.map((o) => o.mesh));
  const me = (r: { kind: string; name: string }) => r.kind === ref.kind && r.name === ref.name;
  const own = issues.filter((i) => i.object?.kind === ref.kind && i.object?.name === ref.name);
  return {
    kind: ref.kind,
    object: hit.live,
    editable: editablePart(hit.live)!,
    yaml: toYaml(editablePart(hit.live)),
    status: hit.live.status ?? null,
    issues: own,
    badge: badgeOf(own),
    references: { outgoing: refs.filter((r) => me(r.from)), incoming: refs.filter((r) => me(r.to)) },
    revisions: await MESH.listRevisions(actor, ref),
  };
}

export const ValidateInput = z
  .object({
    namespace: Namespace,
    /** One or more YAML documents (problems at their line), or … */
    yaml: z.string().min(1).max(1024 * 1024).optional(),
    /** … objects as JSON. */
    objects: z.array(z.record(z.string(), z.unknown())).min(1).max(2_000).optional(),
  })
  .strict()
  .refine((v) => (v.yaml === undefined) !== (v.objects === undefined), { message: "give either yaml or objects", path: ["yaml"] });

export interface ValidationReport {
  valid: boolean;
  /** The objects found (kind key and name), in document order. */
  targets: Array<{ kind: MeshKind; name: string }>;
  issues: ObjectIssue[];
  objects: number;
  notes: Array<{ message: string; messageZh: string }>;
}

function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
    else if (m[1] !== undefined && m[1] !== "(root)") out.push(m[1]);
  }
  return out;
}

/**
 * Every rule over YAML or objects about to be applied in a namespace: structural (YAML syntax,
 * metadata, the CRD schema read from the cluster) and semantic and cross-layer, judged among
 * the namespace's live objects. Issues from YAML carry their line and column.
 */
export async function validatePolicies(actor: Actor, environment: string, raw: unknown): Promise<ValidationReport> {
  const parsed = ValidateInput.safeParse(raw);
  if (!parsed.success) throw (await import("@/lib/zod-error")).zodToAppError(parsed.error);
  const input = parsed.data;
  const yaml = input.yaml ?? input.objects!.map((o) => JSON.stringify(o)).join("\n---\n");
  const structural = await MESH.validateYaml(actor, environment, input.namespace, yaml);
  const docs = parseYamlObjects(yaml).objects;
  return MESH.withScope(actor, environment, input.namespace, "mesh.policy.read", async (rs) => {
    const targets: Array<{ mesh: MeshObject; locate?: (typeof docs)[number]["document"] }> = [];
    for (const d of docs) {
      const m = toMeshObject({ ...(d.object as EditableObject), metadata: { ...((d.object.metadata ?? {}) as EditableObject["metadata"]), namespace: input.namespace } }, input.namespace);
      if (m) targets.push({ mesh: m, locate: input.yaml ? d.document : undefined });
    }
    const sem = hasErrors(structural.issues.filter((i) => i.ruleId !== "SY-M001")) ? { issues: [], notes: [] } : await semanticIssues(actor, rs.row, rs.client, input.namespace, targets.map((t) => t.mesh));
    const located = sem.issues.map((i) => {
      const t = targets.find((x) => x.mesh.kind === i.object?.kind && x.mesh.name === i.object?.name);
      if (!t?.locate) return i;
      const p = t.locate.locate(parsePath(i.path));
      return { ...i, line: p.line, column: p.column, document: t.locate.index };
    });
    const issues = [...structural.issues, ...located];
    return { valid: !hasErrors(issues), targets: targets.map((x) => ({ kind: x.mesh.kind, name: x.mesh.name })), issues, objects: docs.length, notes: sem.notes };
  });
}
