import "server-only";
import { z } from "zod";
import { AppError, UpstreamError } from "@/lib/errors";
import { changeRouteTraffic, routeTarget, RouteRef, ruleWeights, withWeights } from "@/lib/gateway/route-traffic";
import { canaryStepsProblem, canaryWeights, DEFAULT_CANARY_STEPS, nextCanaryStep, previousCanaryStep, stepOfWeights, type CanaryState, type TrafficState } from "@/lib/gateway/model/traffic";
import { defineOperation } from "@/lib/ops/define-operation";

const Names = z.array(z.string().min(1).max(253)).min(1).max(16);

export const StepCanaryInput = z
  .object({
    ...RouteRef,
    /** start: put rule `rule` under canary control (at the step its weights are on, else the first, applied); next / back: one step; stop: forget the plan, weights stay. */
    action: z.enum(["start", "next", "back", "stop"]),
    rule: z.number().int().min(0).max(15).optional(),
    stable: Names.optional(),
    canary: Names.optional(),
    steps: z.array(z.number().int().min(0).max(100)).optional(),
    holdSeconds: z.number().int().min(0).max(7 * 24 * 3600).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.action === "start") {
      for (const f of ["rule", "stable", "canary"] as const) if (v[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: `${f} is required to start a canary` });
      const p = canaryStepsProblem(v.steps ?? DEFAULT_CANARY_STEPS);
      if (p) ctx.addIssue({ code: "custom", path: ["steps"], message: p });
      if (v.stable && v.canary && v.stable.some((s) => v.canary!.includes(s))) ctx.addIssue({ code: "custom", path: ["canary"], message: "a backend cannot be on both sides" });
    }
  });

function drainedHosts(state: TrafficState, rule: number): Set<string> {
  const out = new Set<string>();
  for (const d of state.drained) {
    if (d.rule !== rule) continue;
    const sb = state.siteBackends.find((s) => s.rule === d.rule && s.site === d.site && s.service === d.service);
    const host = sb?.zones[d.zone];
    if (host) out.add(host);
  }
  return out;
}

/**
 * One step of a canary on an HTTPRoute rule: 0 → 10 → 25 → 50 → 100 by default, one click per
 * step, "back one step" at any time, and an optional hold time before the next step is allowed
 * (refused with 409 and the time it is allowed). Each step is its own guarded write with its own
 * revision and audit row (weights before and after). Who may: gateway.route.write in the
 * environment and namespace.
 */
export const stepCanary = defineOperation({
  action: "gateway.route.write",
  permission: "gateway.route.write",
  hideWhenUnreadable: "gateway.route.read",
  input: StepCanaryInput,
  target: routeTarget,
  run: (input, ctx) =>
    changeRouteTraffic(input, ctx, (live, state) => {
      const now = new Date();
      if (input.action === "start") {
        const plan: CanaryState = { rule: input.rule!, stable: input.stable!, canary: input.canary!, steps: [...(input.steps ?? DEFAULT_CANARY_STEPS)], step: 0, holdSeconds: input.holdSeconds ?? 0, lastStepAt: now.toISOString() };
        const names = [...plan.stable, ...plan.canary];
        const before = ruleWeights(live.spec, plan.rule, names);
        const on = stepOfWeights(plan, before);
        plan.step = on >= 0 ? on : 0;
        const after = on >= 0 ? before : canaryWeights(before, plan, plan.steps[0]!, drainedHosts(state, plan.rule));
        return { spec: withWeights(live.spec, plan.rule, after), state: { ...state, canary: plan }, weights: [{ rule: plan.rule, before, after }], detail: { step: "canary-start", canaryStep: plan.step, percent: plan.steps[plan.step] } };
      }
      const plan = state.canary;
      if (!plan) throw new AppError("VALIDATION", "no canary on this route", { fields: [{ field: "action", message: "start a canary first" }], userMessage: "This route has no canary; start one first." });
      const names = [...plan.stable, ...plan.canary];
      const before = ruleWeights(live.spec, plan.rule, names);
      if (input.action === "stop") {
        const { canary: _drop, ...rest } = state;
        void _drop;
        return { spec: live.spec ?? {}, state: rest, weights: [{ rule: plan.rule, before, after: before }], detail: { step: "canary-stop" } };
      }
      const decision = input.action === "next" ? nextCanaryStep(plan, now) : previousCanaryStep(plan);
      if (!decision.ok) {
        if (decision.reason === "hold") {
          throw new UpstreamError("CONFLICT", "kubernetes", `canary hold: next step allowed at ${decision.allowedAt}`, { userMessage: `The hold time of this step has not passed; the next step is allowed at ${decision.allowedAt}.`, details: { allowedAt: decision.allowedAt } });
        }
        throw new AppError("VALIDATION", `no ${input.action} step`, { fields: [{ field: "action", message: decision.reason === "last-step" ? "already at the last step" : "already at the first step" }], userMessage: decision.reason === "last-step" ? "The canary is already at its last step." : "The canary is already at its first step." });
      }
      const after = canaryWeights(before, plan, decision.percent, drainedHosts(state, plan.rule));
      const next: CanaryState = { ...plan, step: decision.step, lastStepAt: now.toISOString() };
      return { spec: withWeights(live.spec, plan.rule, after), state: { ...state, canary: next }, weights: [{ rule: plan.rule, before, after }], detail: { step: `canary-${input.action}`, canaryStep: decision.step, percent: decision.percent } };
    }),
});
