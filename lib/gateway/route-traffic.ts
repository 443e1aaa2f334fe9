/**
 * The shared body of the traffic operations (drain-zone.ts, restore-zone.ts, step-canary.ts):
 * read the live HTTPRoute, refuse when it is not the version the operator saw, compute the new
 * weights and traffic state from it, and write it through the gateway's guarded apply
 * (dry run, resourceVersion, a revision per step; docs/security.md §27).
 */
import "server-only";
import { z } from "zod";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, UpstreamError } from "@/lib/errors";
import { GATEWAY, checkGatewayObjects } from "@/lib/gateway/objects";
import { readTrafficState, writeTrafficState, type TrafficState, type Weights } from "@/lib/gateway/model/traffic";
import type { KubeObject } from "@/lib/k8s/schemas";
import { editablePart, objectDiff, type EditableObject, type ObjectIssue } from "@/lib/kube-objects";
import type { OperationContext, OperationTarget, RunResult } from "@/lib/ops/define-operation";
import type { DiffLine } from "@/lib/diff";

export const RouteRef = {
  environment: z.string().min(1).max(63),
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  /** The route's resourceVersion the operator saw; another one now → 409, nothing written. */
  resourceVersion: z.string().min(1).max(64),
};

export async function routeTarget(input: { environment: string; namespace: string; name: string }, ctx: Omit<OperationContext, "tx">): Promise<OperationTarget> {
  const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
  return { kind: "HTTPRoute", name: input.name, environment: { name: row.name, labels: row.labels }, namespace: input.namespace };
}

type Backend = { name?: string; weight?: number } & Record<string, unknown>;
type Rule = { backendRefs?: Backend[] } & Record<string, unknown>;

/** Weights of the named backends of one rule (a missing weight is 1, the API default). */
export function ruleWeights(spec: Record<string, unknown> | undefined, rule: number, names: readonly string[]): Weights {
  const r = (Array.isArray(spec?.rules) ? (spec.rules as Rule[]) : [])[rule];
  const out: Weights = {};
  for (const n of names) {
    const b = r?.backendRefs?.find((x) => x.name === n);
    if (!b) throw new AppError("VALIDATION", `rule ${rule} has no backend ${n}`, { fields: [{ field: "rule", message: `rule ${rule} has no backend ${n}` }], userMessage: `Rule ${rule + 1} of the route has no backend ${n}; reload the route.` });
    out[n] = typeof b.weight === "number" ? b.weight : 1;
  }
  return out;
}

/** The spec with new weights for some backends of one rule; everything else as it was. */
export function withWeights(spec: Record<string, unknown> | undefined, rule: number, weights: Weights): Record<string, unknown> {
  const rules = (Array.isArray(spec?.rules) ? (spec.rules as Rule[]) : []).map((r, i) =>
    i !== rule ? r : { ...r, backendRefs: (r.backendRefs ?? []).map((b) => (b.name !== undefined && Object.hasOwn(weights, b.name) ? { ...b, weight: weights[b.name] } : b)) },
  );
  return { ...(spec ?? {}), rules };
}

export interface TrafficResult {
  route: { namespace: string; name: string; resourceVersion: string | null };
  revision: number | null;
  /** Weights per backend before and after, per rule touched. */
  weights: Array<{ rule: number; before: Weights; after: Weights }>;
  state: TrafficState;
  diff: DiffLine[];
  /** Non-blocking SY-G findings after the change (e.g. a zone now taking traffic has no healthy instance). */
  warnings: ObjectIssue[];
}

export interface TrafficChange {
  spec: Record<string, unknown>;
  state: TrafficState;
  weights: TrafficResult["weights"];
  detail: Record<string, unknown>;
}

/** Reads the live route, applies `change`, writes it guarded, and shapes the audit outcome. */
export async function changeRouteTraffic(
  input: { environment: string; namespace: string; name: string; resourceVersion: string },
  ctx: OperationContext,
  change: (live: KubeObject, state: TrafficState) => TrafficChange,
): Promise<RunResult<TrafficResult>> {
  const rs = await GATEWAY.resolve(ctx.actor, input.environment, input.namespace, "gateway.route.write");
  const live = await rs.client.get("HTTPRoute", input.namespace, input.name);
  const where = `HTTPRoute ${input.namespace}/${input.name}`;
  if (!live) throw new UpstreamError("NOT_FOUND", "kubernetes", `${where} not found`, { environment: rs.row.name, userMessage: `${where} does not exist.` });
  if (live.metadata.resourceVersion !== input.resourceVersion) {
    throw new UpstreamError("CONFLICT", "kubernetes", `${where}: was changed since you loaded it`, {
      environment: rs.row.name,
      userMessage: `${where} was changed since you loaded it; nothing was changed. Review the live route and try again.`,
      details: { liveResourceVersion: live.metadata.resourceVersion, live: editablePart(live) },
    });
  }
  const c = change(live, readTrafficState(live.metadata.annotations));
  const base = editablePart(live)!;
  const desired: EditableObject = { ...base, metadata: { ...base.metadata, annotations: writeTrafficState(base.metadata.annotations, c.state) }, spec: c.spec };
  const warnings = (await checkGatewayObjects([desired], ctx.actor, rs.row, rs.client)).filter((i) => i.ruleId === "SY-G002" || i.ruleId === "SY-G004");
  if (warnings.some((w) => w.ruleId === "SY-G004")) {
    throw new AppError("VALIDATION", `${where}: the change leaves a rule without traffic`, { userMessage: "This change would leave a rule with every backend at weight 0; nothing was changed.", details: { issues: warnings } });
  }
  const r = await GATEWAY.writeOne(rs, { kind: "HTTPRoute", namespace: input.namespace, name: input.name }, desired, input.resourceVersion, ctx, "apply");
  return {
    result: {
      route: { namespace: input.namespace, name: input.name, resourceVersion: r.written?.metadata.resourceVersion ?? null },
      revision: r.revision,
      weights: c.weights,
      state: c.state,
      diff: objectDiff(live, desired),
      warnings,
    },
    before: editablePart(live),
    after: editablePart(r.written),
    versionBefore: live.metadata.resourceVersion,
    versionAfter: r.written?.metadata.resourceVersion ?? null,
    detail: { ...c.detail, weights: c.weights, revision: r.revision, warnings: warnings.map((w) => w.message) },
  };
}
