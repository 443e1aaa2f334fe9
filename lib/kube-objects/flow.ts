import "server-only";
/**
 * The generic apply flow for Kubernetes objects of one console area (see index.ts for how an
 * area uses it). Builds operation *definitions* (handed to defineOperation in the area's own
 * `<verb>-<noun>.ts` files) and the authorized reads.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EnvironmentRow } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { decide, type Permission, type Scope } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { k8sClientFor } from "@/lib/environments/connect";
import { AppError, UpstreamError, isAppError } from "@/lib/errors";
import type { K8sClient } from "@/lib/k8s/client";
import { apiVersionOf, nameProblem, namespaceProblem, resourceType, type ResourceKind } from "@/lib/k8s/resources";
import type { KubeObject, KubeObjectInput } from "@/lib/k8s/schemas";
import type { OperationContext, OperationDefinition, OperationTarget, RequestMeta, RunResult } from "@/lib/ops/define-operation";
import type { DiffLine } from "@/lib/diff";
import { crdSchemaFor } from "./crd-schemas";
import { editablePart, objectDiff, sameEditable, type EditableObject } from "@/lib/kube-objects/model/diff";
import { hasErrors, KUBE_RULES, type ObjectIssue } from "@/lib/kube-objects/model/issues";
import { formatPath, validateAgainstSchema } from "@/lib/kube-objects/model/openapi-validate";
import { appendRevision, latestRevision, listRevisionRows, revisionRow, toRevisionView, type ObjectKey, type RevisionView } from "./revisions";
import { parseObjectsYaml, toYaml, type ParsedDocument } from "@/lib/kube-objects/model/yaml-source";

// ------------------------------------------------------------------------------------- config

export interface KubeAreaContext {
  actor: Actor;
  row: EnvironmentRow;
  client: K8sClient;
  namespace: string;
}

export interface KubeAreaConfig<K extends ResourceKind> {
  /** For messages and logs: "mesh", "gateway". */
  area: string;
  /** The kinds this area manages; the order is the order of multi-object applies. */
  kinds: readonly K[];
  readPermission: Permission;
  writePermission: Permission;
  actions: { write: AuditAction; delete: AuditAction; rollback: AuditAction };
  /** Rule id given to CRD-schema problems (default SY-K002). */
  schemaRuleId?: string;
  /**
   * A further refusal after the permission check (e.g. developers never write in tier=prod).
   * Return the reason to refuse; the refusal is audited `denied` and answered 403.
   */
  writeGuard?: (actor: Actor, scope: Required<Scope>) => string | null;
  /**
   * The area's own checks of objects about to be written (semantic rules). Issues of severity
   * `error` block the write (422); warnings are returned with the result.
   */
  check?: (objects: EditableObject[], ctx: KubeAreaContext) => Promise<ObjectIssue[]>;
}

// ------------------------------------------------------------------------------------- errors

/** A write refused before it reached the cluster because the object is invalid: HTTP 422. */
export class ObjectInvalidError extends AppError {
  constructor(issues: ObjectIssue[], message = "the object is not valid") {
    const first = issues.find((i) => i.severity === "error") ?? issues[0];
    super("VALIDATION", `${message}: ${issues.filter((i) => i.severity === "error").length} error(s)`, {
      userMessage: first ? `${first.path}${first.line ? ` (line ${first.line})` : ""}: ${first.message}` : "The object is not valid.",
      fields: issues.filter((i) => i.severity === "error").map((i) => ({ field: i.path, message: i.message })),
      details: { issues },
    });
    this.name = "ObjectInvalidError";
  }
  override get status(): number {
    return 422;
  }
}

function conflict(where: string, env: string, live: KubeObject | null, desired: unknown, why: string): UpstreamError {
  return new UpstreamError("CONFLICT", "kubernetes", `${where}: ${why}`, {
    environment: env,
    userMessage: `${where} ${why}; nothing was changed. Review the live object and apply your change to it.`,
    details: {
      live: live ? { ...editablePart(live), metadata: { ...editablePart(live)!.metadata, resourceVersion: live.metadata.resourceVersion } } : null,
      liveResourceVersion: live?.metadata.resourceVersion ?? null,
      diff: objectDiff(live, desired),
    },
  });
}

// ------------------------------------------------------------------------------------- inputs

const K8S_NAMESPACE = z.string().superRefine((v, ctx) => {
  const p = namespaceProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: `namespace ${p}` });
});
const K8S_NAME = z.string().superRefine((v, ctx) => {
  const p = nameProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: `name ${p}` });
});
const ResourceVersion = z.string().min(1).max(64);
const YamlText = z.string().min(1).max(1024 * 1024);
const ObjectBody = z.record(z.string(), z.unknown());

function refInput<K extends ResourceKind>(kinds: readonly K[]) {
  return z.object({
    environment: z.string().min(1).max(63),
    kind: z.enum(kinds as unknown as [K, ...K[]]),
    namespace: K8S_NAMESPACE,
    name: K8S_NAME,
  });
}

function desiredFields() {
  return {
    /** The object to write (JSON), or … */
    object: ObjectBody.optional(),
    /** … the same as one YAML document (problems are then reported at their line). */
    yaml: YamlText.optional(),
    /** What the operator saw: the live resourceVersion, or null when they expect to create it. */
    resourceVersion: ResourceVersion.nullable(),
  };
}

const exactlyOneSource = (v: { object?: unknown; yaml?: unknown }) => (v.object === undefined) !== (v.yaml === undefined);
const SOURCE_MESSAGE = { message: "give either object or yaml", path: ["object"] };

// ------------------------------------------------------------------------------------- helpers

/**
 * A client for one call, closed when the call ends (no kept-alive connection outlives a
 * request; the route matrix counts connections per call).
 */
function clientFor(row: EnvironmentRow): K8sClient {
  const client = k8sClientFor(row);
  if (!client) {
    throw new AppError("VALIDATION", `environment ${row.name} has no Kubernetes connection`, {
      fields: [{ field: "environment", message: "this environment has no Kubernetes connection" }],
      userMessage: `Environment ${row.name} has no Kubernetes connection; add one in Settings → Environments.`,
    });
  }
  return client;
}

export interface ResolvedScope {
  row: EnvironmentRow;
  client: K8sClient;
  scope: Required<Scope>;
}

function scopeOf(row: EnvironmentRow, namespace: string): Required<Scope> {
  return { environment: { name: row.name, labels: row.labels }, namespace };
}

/** The objects a text of YAML documents holds, with their problems at line and column. */
export interface ParsedObjects {
  objects: Array<{ object: Record<string, unknown>; document: ParsedDocument }>;
  issues: ObjectIssue[];
}

export function parseYamlObjects(yaml: string): ParsedObjects {
  const parsed = parseObjectsYaml(yaml);
  if (!parsed.ok) {
    return {
      objects: [],
      issues: parsed.errors.map((e) => ({ ruleId: KUBE_RULES.yamlSyntax, severity: "error", path: "(root)", line: e.line, column: e.column, message: `YAML syntax: ${e.message}`, messageZh: `YAML 语法错误：${e.message}` })),
    };
  }
  const objects: ParsedObjects["objects"] = [];
  const issues: ObjectIssue[] = [];
  for (const d of parsed.documents) {
    if (!d.object || typeof d.object !== "object" || Array.isArray(d.object)) {
      const p = d.locate([]);
      issues.push({ ruleId: KUBE_RULES.yamlSyntax, severity: "error", path: "(root)", line: p.line, column: p.column, document: d.index, message: "a document must be a mapping (an object)", messageZh: "每个文档必须是映射（对象）" });
      continue;
    }
    objects.push({ object: d.object as Record<string, unknown>, document: d });
  }
  return { objects, issues };
}

// ----------------------------------------------------------------------------------- the flow

export interface ApplyResult {
  object: KubeObject | null;
  /** The revision stored for this write (null when nothing changed). */
  revision: number | null;
  unchanged: boolean;
  created: boolean;
  diff: DiffLine[];
  /** Non-blocking issues (warnings) found before the write. */
  warnings: ObjectIssue[];
}

export interface PreviewResult {
  /** The live object and the object to write as YAML (operator-controlled fields), for display. */
  liveYaml: string;
  desiredYaml: string;
  live: (EditableObject & { metadata: EditableObject["metadata"] & { resourceVersion?: string } }) | null;
  desired: EditableObject | null;
  diff: DiffLine[];
  unchanged: boolean;
  issues: ObjectIssue[];
  /** The API server's verdict on a dry run of the write (`ok`), or its refusal. */
  dryRun: { ok: true } | { ok: false; message: string; fields: Array<{ field: string; message: string }> } | null;
}

export interface MultiApplyStep {
  kind: string;
  name: string;
  created?: boolean;
  revision?: number | null;
  error?: { code: string; message: string };
}

export interface MultiApplyResult {
  outcome: "succeeded" | "partial";
  applied: MultiApplyStep[];
  failed?: MultiApplyStep;
  reverted: MultiApplyStep[];
  revertFailed: MultiApplyStep[];
}

type RevisionOperation = "apply" | "rollback" | "revert" | "delete";

export function kubeObjectFlow<K extends ResourceKind>(config: KubeAreaConfig<K>) {
  const schemaRule = config.schemaRuleId ?? KUBE_RULES.schema;
  const ObjectRef = refInput(config.kinds);
  const orderOf = (kind: string) => config.kinds.indexOf(kind as K);

  async function resolve(actor: Actor, environment: string, namespace: string, permission: Permission): Promise<ResolvedScope> {
    const row = await resolveEnvironmentRow(actor, environment, "environment.read");
    const scope = scopeOf(row, namespace);
    if (!decide(actor.grants, config.readPermission, scope)) throw new AppError("NOT_FOUND", `namespace ${namespace} not visible in ${row.name}`);
    if (!decide(actor.grants, permission, scope)) throw forbidden(actor, permission);
    return { row, client: clientFor(row), scope };
  }

  /** resolve(), then `fn`, then the client closed. */
  async function withScope<T>(actor: Actor, environment: string, namespace: string, permission: Permission, fn: (rs: ResolvedScope) => Promise<T>): Promise<T> {
    const rs = await resolve(actor, environment, namespace, permission);
    try {
      return await fn(rs);
    } finally {
      rs.client.close();
    }
  }

  /**
   * The write guard, checked while the operation resolves its target (after the input parsed,
   * before the intent): a refusal is audited `denied` and answered 403 (docs/security.md).
   */
  async function targetFor(input: { environment: string; namespace: string; kind: string; name?: string }, ctx: Omit<OperationContext, "tx">, action: AuditAction): Promise<OperationTarget> {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    const target: OperationTarget = { kind: input.kind, name: input.name, environment: { name: row.name, labels: row.labels }, namespace: input.namespace };
    const scope = scopeOf(row, input.namespace);
    const reason = config.writeGuard && decide(ctx.actor.grants, config.writePermission, scope) ? config.writeGuard(ctx.actor, scope) : null;
    if (reason) {
      await auditTrail(ctx.db, {
        requestId: ctx.requestId,
        action,
        actor: auditActor(ctx.actor),
        environment: row.name,
        namespace: input.namespace,
        targetKind: input.kind,
        targetName: input.name ?? null,
        clientIp: ctx.clientIp ?? null,
        userAgent: ctx.userAgent ?? null,
      }).denied({ permission: config.writePermission, reason });
      throw new AppError("FORBIDDEN", `${ctx.actor.username}: ${reason}`, { userMessage: reason, details: { permission: config.writePermission } });
    }
    return target;
  }

  /** The object to write, made to agree with the URL (kind, apiVersion, namespace, name), and its structural problems. */
  async function desiredObject(
    ref: { kind: K; namespace: string; name: string },
    source: { object?: Record<string, unknown>; yaml?: string },
    rs: ResolvedScope,
  ): Promise<{ desired: EditableObject | null; issues: ObjectIssue[] }> {
    let raw: Record<string, unknown>;
    let doc: ParsedDocument | undefined;
    if (source.yaml !== undefined) {
      const parsed = parseYamlObjects(source.yaml);
      if (parsed.issues.length) return { desired: null, issues: parsed.issues };
      if (parsed.objects.length !== 1) {
        return { desired: null, issues: [{ ruleId: KUBE_RULES.yamlSyntax, severity: "error", path: "(root)", line: 1, column: 1, message: `expected one object, found ${parsed.objects.length}`, messageZh: `应为一个对象，实际 ${parsed.objects.length} 个` }] };
      }
      raw = parsed.objects[0]!.object;
      doc = parsed.objects[0]!.document;
    } else raw = source.object ?? {};
    const issues = await structuralIssues(ref, raw, rs, doc);
    const t = resourceType(ref.kind);
    const e = editablePart(raw)!;
    const desired: EditableObject = { ...e, apiVersion: apiVersionOf(ref.kind), kind: t.kind, metadata: { ...e.metadata, name: ref.name, namespace: ref.namespace } };
    return { desired, issues };
  }

  async function structuralIssues(ref: { kind: K; namespace: string; name: string }, raw: Record<string, unknown>, rs: ResolvedScope, doc?: ParsedDocument): Promise<ObjectIssue[]> {
    const t = resourceType(ref.kind);
    const at = (path: Array<string | number>) => (doc ? { ...doc.locate(path), document: doc.index } : {});
    const issue = (path: Array<string | number>, message: string, messageZh: string, ruleId: string = KUBE_RULES.metadata): ObjectIssue => ({
      ruleId,
      severity: "error",
      path: formatPath(path),
      message,
      messageZh,
      object: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
      ...at(path),
    });
    const out: ObjectIssue[] = [];
    const meta = (raw.metadata ?? {}) as Record<string, unknown>;
    if (raw.apiVersion !== undefined && raw.apiVersion !== apiVersionOf(ref.kind)) out.push(issue(["apiVersion"], `must be ${apiVersionOf(ref.kind)}`, `必须为 ${apiVersionOf(ref.kind)}`));
    if (raw.kind !== undefined && raw.kind !== t.kind) out.push(issue(["kind"], `must be ${t.kind}`, `必须为 ${t.kind}`));
    if (typeof raw.metadata !== "object" || raw.metadata === null || Array.isArray(raw.metadata)) out.push(issue(["metadata"], "metadata must be an object", "metadata 必须是对象"));
    if (meta.name !== undefined && meta.name !== ref.name) out.push(issue(["metadata", "name"], `must be ${ref.name} (the object being written)`, `必须为 ${ref.name}（正在写入的对象）`));
    if (meta.namespace !== undefined && meta.namespace !== ref.namespace) out.push(issue(["metadata", "namespace"], `must be ${ref.namespace}`, `必须为 ${ref.namespace}`));
    for (const field of ["labels", "annotations"] as const) {
      const v = meta[field];
      if (v !== undefined && (typeof v !== "object" || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string"))) {
        out.push(issue(["metadata", field], `${field} must map names to strings`, `${field} 的值必须是字符串`));
      }
    }
    const schema = await crdSchemaFor(rs.row, rs.client, ref.kind);
    if (!schema) {
      out.push({ ...issue([], `the cluster does not serve ${t.kind} (${t.group}); its CRD is not installed`, `集群未提供 ${t.kind}（${t.group}），其 CRD 未安装`, KUBE_RULES.noSchema) });
      return out;
    }
    for (const s of validateAgainstSchema(raw, schema)) {
      out.push(issue(s.path, `${formatPath(s.path)}: ${s.message}`, `${formatPath(s.path)}：${zhSchemaMessage(s.message)}`, schemaRule));
    }
    return out;
  }

  async function check(objects: EditableObject[], rs: ResolvedScope, actor: Actor): Promise<ObjectIssue[]> {
    if (!config.check) return [];
    return config.check(objects, { actor, row: rs.row, client: rs.client, namespace: rs.scope.namespace });
  }

  function input(o: EditableObject): KubeObjectInput {
    return o as KubeObjectInput;
  }

  async function dryRun(rs: ResolvedScope, kind: K, ns: string, name: string, desired: EditableObject, rv: string | null): Promise<void> {
    if (rv) await rs.client.replace(kind, ns, name, input({ ...desired, metadata: { ...desired.metadata, resourceVersion: rv } as EditableObject["metadata"] }), { dryRun: true });
    else await rs.client.create(kind, ns, input(desired), { dryRun: true });
  }

  /** Records the live object as `observed` when the console has not seen this version of it. */
  async function observe(key: ObjectKey, live: KubeObject | null, ctx: OperationContext): Promise<void> {
    if (!live) return;
    const last = await latestRevision(ctx.db, key);
    if (last && last.resourceVersion === live.metadata.resourceVersion) return;
    await appendRevision(ctx.db, key, {
      operation: "observed",
      resourceVersion: live.metadata.resourceVersion,
      object: editablePart(live) as Record<string, unknown>,
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
      requestId: ctx.requestId,
    });
  }

  /**
   * The guarded write of one object: compare with what the operator saw (409 with the live object
   * and a diff, never retried), server dry run, write with the resourceVersion, revision row.
   */
  async function writeOne(
    rs: ResolvedScope,
    ref: { kind: K; namespace: string; name: string },
    desired: EditableObject,
    expected: string | null,
    ctx: OperationContext,
    operation: RevisionOperation,
    opts: { skipDryRun?: boolean } = {},
  ): Promise<{ live: KubeObject | null; written: KubeObject | null; revision: number | null; unchanged: boolean }> {
    const where = `${resourceType(ref.kind).kind} ${ref.namespace}/${ref.name}`;
    const key: ObjectKey = { environment: rs.row.name, kind: ref.kind, namespace: ref.namespace, name: ref.name };
    const live = await rs.client.get(ref.kind, ref.namespace, ref.name);
    if (expected === null && live) throw conflict(where, rs.row.name, live, desired, "already exists");
    if (expected !== null && !live) throw conflict(where, rs.row.name, null, desired, "was deleted");
    if (live && expected !== null && live.metadata.resourceVersion !== expected) throw conflict(where, rs.row.name, live, desired, "was changed since you loaded it");
    if (live && sameEditable(live, desired)) return { live, written: live, revision: null, unchanged: true };
    if (!opts.skipDryRun) await dryRun(rs, ref.kind, ref.namespace, ref.name, desired, expected);
    await observe(key, live, ctx);
    let written: KubeObject;
    try {
      written = expected
        ? await rs.client.replace(ref.kind, ref.namespace, ref.name, input({ ...desired, metadata: { ...desired.metadata, resourceVersion: expected } as EditableObject["metadata"] }))
        : await rs.client.create(ref.kind, ref.namespace, input(desired));
    } catch (e) {
      if (isAppError(e) && e.code === "CONFLICT") {
        const now = await rs.client.get(ref.kind, ref.namespace, ref.name).catch(() => null);
        throw conflict(where, rs.row.name, now, desired, expected ? "was changed since you loaded it" : "already exists");
      }
      throw e;
    }
    const revision = await appendRevision(ctx.db, key, {
      operation,
      resourceVersion: written.metadata.resourceVersion,
      object: editablePart(written) as Record<string, unknown>,
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
      requestId: ctx.requestId,
    });
    return { live, written, revision, unchanged: false };
  }

  function blockOnErrors(issues: ObjectIssue[]): ObjectIssue[] {
    if (hasErrors(issues)) throw new ObjectInvalidError(issues);
    return issues;
  }

  // ----------------------------------------------------------------------------- operations

  const ApplyInput = ObjectRef.extend(desiredFields()).strict().refine(exactlyOneSource, SOURCE_MESSAGE);

  /** Create or replace one object (guarded; see writeOne). */
  const applyDefinition: OperationDefinition<typeof ApplyInput, ApplyResult> = {
    action: config.actions.write,
    permission: config.writePermission,
    hideWhenUnreadable: config.readPermission,
    input: ApplyInput,
    target: (i, ctx) => targetFor(i, ctx, config.actions.write),
    async run(i, ctx): Promise<RunResult<ApplyResult>> {
      return (await applyOne(ctx, i)).runResult;
    },
  };

  /** The body of an apply, for operations built around one (e.g. a fault with a deadline). */
  async function applyOne(ctx: OperationContext, i: { environment: string; kind: K; namespace: string; name: string; object?: Record<string, unknown>; yaml?: string; resourceVersion: string | null }) {
    return withScope(ctx.actor, i.environment, i.namespace, config.writePermission, async (rs) => {
      const { desired, issues } = await desiredObject(i, i, rs);
      blockOnErrors(issues);
      const warnings = blockOnErrors(await check([desired!], rs, ctx.actor));
      const r = await writeOne(rs, i, desired!, i.resourceVersion, ctx, "apply");
      return { ...r, runResult: applied(r, desired!, warnings) };
    });
  }

  function applied(r: Awaited<ReturnType<typeof writeOne>>, desired: EditableObject, warnings: ObjectIssue[]): RunResult<ApplyResult> {
    return {
      result: { object: r.written, revision: r.revision, unchanged: r.unchanged, created: !r.live, diff: objectDiff(r.live, desired), warnings },
      before: editablePart(r.live),
      after: editablePart(r.written),
      versionBefore: r.live?.metadata.resourceVersion ?? null,
      versionAfter: r.written?.metadata.resourceVersion ?? null,
      detail: { revision: r.revision, ...(r.unchanged ? { unchanged: true } : {}), warnings: warnings.length },
    };
  }

  const DeleteInput = ObjectRef.extend({ resourceVersion: ResourceVersion }).strict();

  /** Delete one object, only if it is still the version the operator saw. */
  const deleteDefinition: OperationDefinition<typeof DeleteInput, { deleted: true; revision: number }> = {
    action: config.actions.delete,
    permission: config.writePermission,
    hideWhenUnreadable: config.readPermission,
    input: DeleteInput,
    target: (i, ctx) => targetFor(i, ctx, config.actions.delete),
    async run(i, ctx) {
      return withScope(ctx.actor, i.environment, i.namespace, config.writePermission, async (rs) => {
        const where = `${resourceType(i.kind).kind} ${i.namespace}/${i.name}`;
        const key: ObjectKey = { environment: rs.row.name, kind: i.kind, namespace: i.namespace, name: i.name };
        const live = await rs.client.get(i.kind, i.namespace, i.name);
        if (!live) throw new UpstreamError("NOT_FOUND", "kubernetes", `${where} not found`, { environment: rs.row.name, userMessage: `${where} does not exist.` });
        if (live.metadata.resourceVersion !== i.resourceVersion) throw conflict(where, rs.row.name, live, null, "was changed since you loaded it");
        await observe(key, live, ctx);
        try {
          await rs.client.delete(i.kind, i.namespace, i.name, { resourceVersion: i.resourceVersion });
        } catch (e) {
          if (isAppError(e) && e.code === "CONFLICT") throw conflict(where, rs.row.name, await rs.client.get(i.kind, i.namespace, i.name).catch(() => null), null, "was changed since you loaded it");
          throw e;
        }
        const revision = await appendRevision(ctx.db, key, { operation: "delete", resourceVersion: null, object: null, actorId: ctx.actor.id, actorName: ctx.actor.username, requestId: ctx.requestId });
        return { result: { deleted: true, revision }, before: editablePart(live), after: null, versionBefore: live.metadata.resourceVersion, versionAfter: null, detail: { revision } };
      });
    },
  };

  const RollbackInput = ObjectRef.extend({ revision: z.number().int().min(1), resourceVersion: ResourceVersion.nullable() }).strict();

  /** Put a stored revision back, as a new guarded write (or a guarded delete when the revision is a deletion). */
  const rollbackDefinition: OperationDefinition<typeof RollbackInput, ApplyResult & { from: number }> = {
    action: config.actions.rollback,
    permission: config.writePermission,
    hideWhenUnreadable: config.readPermission,
    input: RollbackInput,
    target: (i, ctx) => targetFor(i, ctx, config.actions.rollback),
    async run(i, ctx) {
      return withScope(ctx.actor, i.environment, i.namespace, config.writePermission, async (rs) => {
        const key: ObjectKey = { environment: rs.row.name, kind: i.kind, namespace: i.namespace, name: i.name };
        const rev = await revisionRow(ctx.db, key, i.revision);
        if (!rev) throw new AppError("NOT_FOUND", `revision ${i.revision} not found`, { userMessage: `Revision ${i.revision} of ${i.name} does not exist.` });
        if (!rev.object) {
          throw new AppError("VALIDATION", "revision is a deletion", { fields: [{ field: "revision", message: "is a deletion; delete the object instead" }], userMessage: `Revision ${i.revision} is a deletion; delete the object instead.` });
        }
        const e = editablePart(rev.object)!;
        const desired: EditableObject = { ...e, metadata: { ...e.metadata, name: i.name, namespace: i.namespace } };
        const issues = await structuralIssues(i, desired as Record<string, unknown>, rs);
        blockOnErrors(issues);
        const r = await writeOne(rs, i, desired, i.resourceVersion, ctx, "rollback");
        const out = applied(r, desired, []);
        return { ...out, result: { ...out.result, from: i.revision }, detail: { ...out.detail, from: i.revision } };
      });
    },
  };

  const ManyInput = z
    .object({
      environment: z.string().min(1).max(63),
      namespace: K8S_NAMESPACE,
      objects: z
        .array(z.object({ kind: z.enum(config.kinds as unknown as [K, ...K[]]), name: K8S_NAME, ...desiredFields() }).strict().refine(exactlyOneSource, SOURCE_MESSAGE))
        .min(1)
        .max(16),
    })
    .strict()
    .refine((v) => new Set(v.objects.map((o) => `${o.kind}/${o.name}`)).size === v.objects.length, { message: "an object is given twice", path: ["objects"] });

  /**
   * Several objects of one namespace in a fixed order (the order of `kinds`: e.g. DestinationRule
   * before the VirtualService that uses its subsets). Everything is validated and dry-run first;
   * when a later write fails, the earlier ones are reverted (newest first, each guarded by the
   * version it wrote) and the outcome is `partial`, saying what was reverted.
   */
  const applyManyDefinition: OperationDefinition<typeof ManyInput, MultiApplyResult> = {
    action: config.actions.write,
    permission: config.writePermission,
    hideWhenUnreadable: config.readPermission,
    input: ManyInput,
    target: (i, ctx) =>
      targetFor({ environment: i.environment, namespace: i.namespace, kind: [...new Set(i.objects.map((o) => o.kind))].join("+"), name: i.objects.map((o) => o.name).join(",") }, ctx, config.actions.write),
    async run(i, ctx): Promise<RunResult<MultiApplyResult>> {
      return withScope(ctx.actor, i.environment, i.namespace, config.writePermission, async (rs) => {
        const ordered = [...i.objects].sort((a, b) => orderOf(a.kind) - orderOf(b.kind));
        const prepared: Array<{ ref: { kind: K; namespace: string; name: string }; desired: EditableObject; expected: string | null }> = [];
        const issues: ObjectIssue[] = [];
        for (const o of ordered) {
          const ref = { kind: o.kind, namespace: i.namespace, name: o.name };
          const d = await desiredObject(ref, o, rs);
          issues.push(...d.issues);
          if (d.desired) prepared.push({ ref, desired: d.desired, expected: o.resourceVersion });
        }
        blockOnErrors(issues);
        blockOnErrors(await check(prepared.map((p) => p.desired), rs, ctx.actor));
        for (const p of prepared) {
          const live = await rs.client.get(p.ref.kind, p.ref.namespace, p.ref.name);
          const where = `${resourceType(p.ref.kind).kind} ${p.ref.namespace}/${p.ref.name}`;
          if (p.expected === null && live) throw conflict(where, rs.row.name, live, p.desired, "already exists");
          if (p.expected !== null && live?.metadata.resourceVersion !== p.expected) throw conflict(where, rs.row.name, live, p.desired, live ? "was changed since you loaded it" : "was deleted");
          if (!(live && sameEditable(live, p.desired))) await dryRun(rs, p.ref.kind, p.ref.namespace, p.ref.name, p.desired, p.expected);
        }
        const done: Array<{ step: MultiApplyStep; live: KubeObject | null; written: KubeObject | null; ref: (typeof prepared)[number]["ref"] }> = [];
        for (const p of prepared) {
          try {
            const r = await writeOne(rs, p.ref, p.desired, p.expected, ctx, "apply", { skipDryRun: true });
            done.push({ step: { kind: p.ref.kind, name: p.ref.name, created: !r.live, revision: r.revision }, live: r.live, written: r.unchanged ? null : r.written, ref: p.ref });
          } catch (e) {
            if (done.length === 0) throw e;
            const failed: MultiApplyStep = { kind: p.ref.kind, name: p.ref.name, error: { code: isAppError(e) ? e.code : "INTERNAL", message: isAppError(e) ? e.userMessage : "unexpected error" } };
            const { reverted, revertFailed } = await revert(rs, done, ctx);
            const result: MultiApplyResult = { outcome: "partial", applied: done.map((d) => d.step), failed, reverted, revertFailed };
            return {
              result,
              outcome: "partial",
              before: done.map((d) => editablePart(d.live)),
              after: done.map((d) => editablePart(d.written)),
              detail: { failed, reverted: reverted.map((s) => `${s.kind}/${s.name}`), revertFailed: revertFailed.map((s) => `${s.kind}/${s.name}`) },
            };
          }
        }
        return {
          result: { outcome: "succeeded", applied: done.map((d) => d.step), reverted: [], revertFailed: [] },
          before: done.map((d) => editablePart(d.live)),
          after: done.map((d) => editablePart(d.written ?? d.live)),
          detail: { applied: done.map((d) => `${d.step.kind}/${d.step.name}`) },
        };
      });
    },
  };

  async function revert(rs: ResolvedScope, done: Array<{ step: MultiApplyStep; live: KubeObject | null; written: KubeObject | null; ref: { kind: K; namespace: string; name: string } }>, ctx: OperationContext) {
    const reverted: MultiApplyStep[] = [];
    const revertFailed: MultiApplyStep[] = [];
    for (const d of [...done].reverse()) {
      if (!d.written) continue; // unchanged: nothing to undo
      const key: ObjectKey = { environment: rs.row.name, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name };
      try {
        if (!d.live) {
          await rs.client.delete(d.ref.kind, d.ref.namespace, d.ref.name, { resourceVersion: d.written.metadata.resourceVersion });
          await appendRevision(ctx.db, key, { operation: "revert", resourceVersion: null, object: null, actorId: ctx.actor.id, actorName: ctx.actor.username, requestId: ctx.requestId });
        } else {
          const back = editablePart(d.live)!;
          const w = await rs.client.replace(d.ref.kind, d.ref.namespace, d.ref.name, input({ ...back, metadata: { ...back.metadata, resourceVersion: d.written.metadata.resourceVersion } as EditableObject["metadata"] }));
          await appendRevision(ctx.db, key, { operation: "revert", resourceVersion: w.metadata.resourceVersion, object: editablePart(w) as Record<string, unknown>, actorId: ctx.actor.id, actorName: ctx.actor.username, requestId: ctx.requestId });
        }
        reverted.push(d.step);
      } catch (e) {
        revertFailed.push({ ...d.step, error: { code: isAppError(e) ? e.code : "INTERNAL", message: isAppError(e) ? e.userMessage : "unexpected error" } });
      }
    }
    return { reverted, revertFailed };
  }

  // ---------------------------------------------------------------------------------- reads

  /** Objects of the area's kinds in one namespace (or one kind); 404 outside the actor's read scope. */
  async function listObjects(actor: Actor, environment: string, namespace: string, kinds: readonly K[] = config.kinds): Promise<{ items: KubeObject[]; missingKinds: K[] }> {
    return withScope(actor, environment, namespace, config.readPermission, async (rs) => {
      const missingKinds: K[] = [];
      const lists = await Promise.all(
        kinds.map(async (k) => {
          try {
            const items: KubeObject[] = [];
            let cont: string | undefined;
            do {
              const page = await rs.client.list(k, namespace, { limit: 500, continue: cont });
              items.push(...page.items);
              cont = page.continue;
            } while (cont && items.length < 10_000);
            return items;
          } catch (e) {
            if (isAppError(e) && e.code === "NOT_FOUND") {
              missingKinds.push(k);
              return [];
            }
            throw e;
          }
        }),
      );
      return { items: lists.flat(), missingKinds };
    });
  }

  async function getObject(actor: Actor, ref: { environment: string; kind: K; namespace: string; name: string }): Promise<KubeObject> {
    return withScope(actor, ref.environment, ref.namespace, config.readPermission, async (rs) => {
      const obj = await rs.client.get(ref.kind, ref.namespace, ref.name);
      if (!obj) throw new UpstreamError("NOT_FOUND", "kubernetes", `${ref.kind} ${ref.namespace}/${ref.name} not found`, { environment: rs.row.name, userMessage: `${resourceType(ref.kind).kind} ${ref.namespace}/${ref.name} does not exist.` });
      return obj;
    });
  }

  async function listRevisions(actor: Actor, ref: { environment: string; kind: K; namespace: string; name: string }): Promise<RevisionView[]> {
    const row = await resolveEnvironmentRow(actor, ref.environment, "environment.read");
    if (!decide(actor.grants, config.readPermission, scopeOf(row, ref.namespace))) throw new AppError("NOT_FOUND", `namespace ${ref.namespace} not visible`);
    const rows = await listRevisionRows(await getDb(), { environment: row.name, kind: ref.kind, namespace: ref.namespace, name: ref.name });
    return rows.map((r) => toRevisionView(r, false));
  }

  async function getRevision(actor: Actor, ref: { environment: string; kind: K; namespace: string; name: string }, revision: number): Promise<RevisionView & { yaml: string }> {
    const row = await resolveEnvironmentRow(actor, ref.environment, "environment.read");
    if (!decide(actor.grants, config.readPermission, scopeOf(row, ref.namespace))) throw new AppError("NOT_FOUND", `namespace ${ref.namespace} not visible`);
    const r = await revisionRow(await getDb(), { environment: row.name, kind: ref.kind, namespace: ref.namespace, name: ref.name }, revision);
    if (!r) throw new AppError("NOT_FOUND", `revision ${revision} not found`, { userMessage: `Revision ${revision} does not exist.` });
    return { ...toRevisionView(r, true), yaml: toYaml(editablePart(r.object)) };
  }

  const PreviewInput = ObjectRef.extend(desiredFields()).strict().refine(exactlyOneSource, SOURCE_MESSAGE);

  /**
   * What an apply would do, without doing it: structural and semantic issues, the diff against
   * the live object and the API server's dry-run verdict. A read (mesh.policy.read): nothing is stored.
   */
  async function preview(actor: Actor, raw: unknown): Promise<PreviewResult> {
    const parsed = PreviewInput.safeParse(raw);
    if (!parsed.success) throw (await import("@/lib/zod-error")).zodToAppError(parsed.error);
    const i = parsed.data;
    return withScope(actor, i.environment, i.namespace, config.readPermission, async (rs) => {
      const { desired, issues } = await desiredObject(i, i, rs);
      const live = await rs.client.get(i.kind, i.namespace, i.name);
      const liveView = live ? { ...editablePart(live)!, metadata: { ...editablePart(live)!.metadata, resourceVersion: live.metadata.resourceVersion } } : null;
      const liveYaml = toYaml(editablePart(live));
    if (!desired) return { live: liveView, liveYaml, desiredYaml: "", desired: null, diff: [], unchanged: false, issues, dryRun: null };
      const all = [...issues, ...(hasErrors(issues) ? [] : await check([desired], rs, actor))];
      const unchanged = live ? sameEditable(live, desired) : false;
      let verdict: PreviewResult["dryRun"] = null;
      if (!hasErrors(all) && !unchanged) {
        try {
          await dryRun(rs, i.kind, i.namespace, i.name, desired, live?.metadata.resourceVersion ?? null);
          verdict = { ok: true };
        } catch (e) {
          if (!isAppError(e) || !["VALIDATION", "UPSTREAM_REJECTED", "CONFLICT", "FORBIDDEN"].includes(e.code)) throw e;
          verdict = { ok: false, message: e.userMessage, fields: e.fields };
        }
      }
      return { live: liveView, liveYaml, desiredYaml: toYaml(editablePart(desired)), desired, diff: objectDiff(live, desired), unchanged, issues: all, dryRun: verdict };
    });
  }

  /** Structural issues (YAML syntax, metadata, CRD schema) of YAML holding one or more objects, for the editor. */
  async function validateYaml(actor: Actor, environment: string, namespace: string, yaml: string): Promise<{ objects: EditableObject[]; issues: ObjectIssue[] }> {
    return withScope(actor, environment, namespace, config.readPermission, async (rs) => {
      const parsed = parseYamlObjects(yaml);
      const issues: ObjectIssue[] = [...parsed.issues];
      const objects: EditableObject[] = [];
      for (const { object, document } of parsed.objects) {
        const kind = kindOf(object);
        const meta = (object.metadata ?? {}) as Record<string, unknown>;
        const name = typeof meta.name === "string" ? meta.name : "";
        if (!kind) {
          const p = document.locate(["kind"]);
          issues.push({ ruleId: KUBE_RULES.metadata, severity: "error", path: "kind", line: p.line, column: p.column, document: document.index, message: `kind must be one of ${config.kinds.map((k) => `${resourceType(k).kind} (${apiVersionOf(k)})`).join(", ")}`, messageZh: `kind 必须是以下之一：${config.kinds.map((k) => resourceType(k).kind).join("、")}` });
          continue;
        }
        if (nameProblem(name)) {
          const p = document.locate(["metadata", "name"]);
          issues.push({ ruleId: KUBE_RULES.metadata, severity: "error", path: "metadata.name", line: p.line, column: p.column, document: document.index, message: `metadata.name ${nameProblem(name)}`, messageZh: "metadata.name 缺失或不是合法名称（小写字母、数字、'-'、'.'）" });
        }
        issues.push(...(await structuralIssues({ kind, namespace, name: name || "unnamed" }, { ...object, metadata: { ...meta, name: name || "unnamed", namespace: meta.namespace ?? namespace } }, rs, document)));
        const e = editablePart(object)!;
        objects.push({ ...e, kind: resourceType(kind).kind, apiVersion: apiVersionOf(kind), metadata: { ...e.metadata, namespace } });
      }
      return { objects, issues };
    });
  }

  /** The area's kind key for an object's apiVersion + kind (Istio's Gateway is IstioGateway). */
  function kindOf(object: Record<string, unknown>): K | null {
    return config.kinds.find((k) => resourceType(k).kind === object.kind && (object.apiVersion === undefined || object.apiVersion === apiVersionOf(k) || String(object.apiVersion).startsWith(`${resourceType(k).group}/`))) ?? null;
  }

  return {
    config,
    ObjectRef,
    applyDefinition,
    applyManyDefinition,
    deleteDefinition,
    rollbackDefinition,
    resolve,
    withScope,
    targetFor,
    applyOne,
    listObjects,
    getObject,
    listRevisions,
    getRevision,
    preview,
    validateYaml,
    kindOf,
    /** For background jobs (e.g. fault-injection deadlines): the guarded write as any actor, audited by the caller. */
    writeOne,
    newRequestId: () => randomUUID(),
  };
}

/** zh for the schema walker's English messages (their fixed phrases). */
function zhSchemaMessage(m: string): string {
  return m
    .replace(/^unknown field "(.*)"$/, "未知字段 \"$1\"（API 服务器会静默丢弃）")
    .replace(/^(.*) is required$/, "缺少必填字段 $1")
    .replace(/^must be one of (.*)$/, "必须是以下之一：$1")
    .replace(/^must be an? (\w+), not an? (\w+)$/, "类型应为 $1，实际为 $2")
    .replace(/^must be an? (\w+), not null$/, "类型应为 $1，不能为 null")
    .replace(/^must be an integer or a string$/, "必须是整数或字符串")
    .replace(/^must match (.*)$/, "必须匹配 $1")
    .replace(/^set at most one of (.*) \(found (.*)\)$/, "以下字段最多设置一个：$1（实际设置了 $2）")
    .replace(/^must set exactly one of (.*)$/, "必须且只能设置以下之一：$1")
    .replace(/^must be at most (\d+) characters$/, "最多 $1 个字符")
    .replace(/^must be at least (\d+) characters$/, "至少 $1 个字符")
    .replace(/^must be at most (.*)$/, "不能大于 $1")
    .replace(/^must be at least (.*)$/, "不能小于 $1");
}

export type KubeObjectFlow<K extends ResourceKind> = ReturnType<typeof kubeObjectFlow<K>>;
export type { RequestMeta };
