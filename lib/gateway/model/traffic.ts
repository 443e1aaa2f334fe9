/**
 * Traffic math of the gateway area, pure (no server code; the route map and the canary
 * controls import it):
 * - a "site backend": service S in every zone of site X, one backendRef per zone whose name is
 *   the host the zone's registry gives S through the gateway's McpBridge (registries.ts);
 * - drain a zone (its weight moves to the other zones of the same site backend, in proportion
 *   to their weights) and restore it (exactly the weights before, when nothing else changed);
 * - canary steps (0 → 10 → 25 → 50 → 100 by default) with "back one step" and a hold time.
 * Integer weights keep their total: shares are rounded by largest remainder.
 * What the console needs to remember between steps lives in one annotation on the HTTPRoute
 * (TRAFFIC_ANNOTATION), so every step is one guarded write of one object with its own revision.
 */
import { z } from "zod";

export const TRAFFIC_ANNOTATION = "gateway.switchyard.io/traffic";
export const DEFAULT_CANARY_STEPS = [0, 10, 25, 50, 100] as const;
/** Total weight of a rule under canary control: percentages read as weights. */
export const CANARY_TOTAL = 100;

export type Weights = Record<string, number>;

const Zones = z.record(z.string().min(1).max(63), z.string().min(1).max(253));

export const SiteBackendState = z.object({
  rule: z.number().int().min(0),
  site: z.string().min(1).max(63),
  service: z.string().min(1).max(256),
  group: z.string().min(1).max(128),
  /** zone → the backendRef name (the registry host) of the service in that zone. */
  zones: Zones,
});
export type SiteBackendState = z.infer<typeof SiteBackendState>;

export const DrainState = z.object({
  rule: z.number().int().min(0),
  site: z.string(),
  service: z.string(),
  zone: z.string(),
  /** Weights per backend name of the site backend just before, and just after, the drain. */
  before: z.record(z.string(), z.number().int().min(0)),
  after: z.record(z.string(), z.number().int().min(0)),
  at: z.string(),
});
export type DrainState = z.infer<typeof DrainState>;

export const CanaryState = z.object({
  rule: z.number().int().min(0),
  /** backendRef names on each side. */
  stable: z.array(z.string().min(1)).min(1),
  canary: z.array(z.string().min(1)).min(1),
  steps: z.array(z.number().int().min(0).max(100)).min(2),
  step: z.number().int().min(0),
  holdSeconds: z.number().int().min(0).max(7 * 24 * 3600),
  /** When the current step was applied (ISO); the next step waits for the hold time after it. */
  lastStepAt: z.string().optional(),
});
export type CanaryState = z.infer<typeof CanaryState>;

export const TrafficState = z.object({
  v: z.literal(1),
  siteBackends: z.array(SiteBackendState).default([]),
  drained: z.array(DrainState).default([]),
  canary: CanaryState.optional(),
});
export type TrafficState = z.infer<typeof TrafficState>;

export function emptyTrafficState(): TrafficState {
  return { v: 1, siteBackends: [], drained: [] };
}

/** The state kept on a route; an absent or unreadable annotation is an empty state (never a crash). */
export function readTrafficState(annotations: Record<string, string> | undefined): TrafficState {
  const raw = annotations?.[TRAFFIC_ANNOTATION];
  if (!raw) return emptyTrafficState();
  try {
    const parsed = TrafficState.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : emptyTrafficState();
  } catch {
    return emptyTrafficState();
  }
}

export function writeTrafficState(annotations: Record<string, string> | undefined, state: TrafficState): Record<string, string> {
  const out = { ...(annotations ?? {}) };
  if (!state.siteBackends.length && !state.drained.length && !state.canary) delete out[TRAFFIC_ANNOTATION];
  else out[TRAFFIC_ANNOTATION] = JSON.stringify(state);
  return out;
}

/** backendRef name → "service @ zone" for the site backends of a route (others are left out). */
export function siteBackendLabels(state: Pick<TrafficState, "siteBackends">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sb of state.siteBackends) for (const [zone, host] of Object.entries(sb.zones)) out[host] = `${sb.service} @ ${zone}`;
  return out;
}

// ------------------------------------------------------------------------------------- rounding

/**
 * Splits `total` into integers in proportion to `shares` (largest remainder; ties to the earlier
 * key). All shares 0 → an equal split. No keys → {}.
 */
export function apportion(total: number, shares: Weights): Weights {
  const keys = Object.keys(shares);
  if (!keys.length) return {};
  const sum = keys.reduce((s, k) => s + Math.max(0, shares[k]!), 0);
  const basis = sum > 0 ? shares : Object.fromEntries(keys.map((k) => [k, 1]));
  const basisSum = sum > 0 ? sum : keys.length;
  const exact = keys.map((k) => (total * Math.max(0, basis[k]!)) / basisSum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = keys.map((_, i) => i).sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return Object.fromEntries(keys.map((k, i) => [k, out[i]!]));
}

function sumOf(w: Weights): number {
  return Object.values(w).reduce((s, v) => s + v, 0);
}

function sameWeights(a: Weights, b: Weights): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

// ---------------------------------------------------------------------------------- drain math

export class TrafficError extends Error {
  constructor(
    readonly reason: "no-other-zone" | "unknown-zone" | "not-drained" | "already-drained" | "no-traffic-left",
    message: string,
  ) {
    super(message);
    this.name = "TrafficError";
  }
}

/**
 * Moves `zone`'s weight to the other zones, in proportion to their weights (equally when they
 * are all 0). The total is kept. A zone already at 0 is refused (nothing to drain).
 */
export function drainWeights(weights: Weights, zone: string): Weights {
  if (!Object.hasOwn(weights, zone)) throw new TrafficError("unknown-zone", `zone ${zone} is not a backend of this route`);
  const others = Object.keys(weights).filter((z) => z !== zone);
  if (!others.length) throw new TrafficError("no-other-zone", `zone ${zone} is the only zone: draining it would stop all traffic`);
  const w = weights[zone]!;
  if (w === 0) throw new TrafficError("already-drained", `zone ${zone} already receives no traffic`);
  const moved = apportion(w, Object.fromEntries(others.map((z) => [z, weights[z]!])));
  return Object.fromEntries(Object.keys(weights).map((z) => [z, z === zone ? 0 : weights[z]! + moved[z]!]));
}

/**
 * Gives a drained zone its traffic back. When the weights are still what the drain left, the
 * result is exactly the weights before it; otherwise the zone's old weight is taken back from the
 * others in proportion to their current weights (never below 0), keeping the total.
 */
export function restoreWeights(current: Weights, drain: Pick<DrainState, "zone" | "before" | "after">): Weights {
  const zone = drain.zone;
  if (!Object.hasOwn(current, zone)) throw new TrafficError("unknown-zone", `zone ${zone} is not a backend of this route`);
  if (sameWeights(current, drain.after)) return { ...drain.before };
  const others = Object.keys(current).filter((z) => z !== zone);
  const othersSum = others.reduce((s, z) => s + current[z]!, 0);
  const want = Math.min(drain.before[zone] ?? 0, othersSum);
  const take = apportion(want, Object.fromEntries(others.map((z) => [z, current[z]!])));
  return Object.fromEntries(Object.keys(current).map((z) => [z, z === zone ? current[z]! + want : current[z]! - take[z]!]));
}

/** Percent of the total per key, rounded to one decimal (the route map's labels). */
export function percentages(weights: Weights): Record<string, number> {
  const total = sumOf(weights);
  return Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, total > 0 ? Math.round((1000 * v) / total) / 10 : 0]));
}

// -------------------------------------------------------------------------------- canary math

/** Why a step list is unusable, or null: 2–10 steps, each 0–100, strictly increasing. */
export function canaryStepsProblem(steps: readonly number[]): string | null {
  if (steps.length < 2 || steps.length > 10) return "needs 2 to 10 steps";
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (!Number.isInteger(s) || s < 0 || s > 100) return "each step must be a whole percent from 0 to 100";
    if (i > 0 && s <= steps[i - 1]!) return "steps must increase";
  }
  return null;
}

/**
 * The rule's weights with `percent` of CANARY_TOTAL on the canary side. Within a side, weights
 * follow the backends' current proportions, so a drained zone (0) stays drained; a side that
 * had nothing is split equally among its backends not listed in `excluded` (drained zones).
 */
export function canaryWeights(current: Weights, side: Pick<CanaryState, "stable" | "canary">, percent: number, excluded: ReadonlySet<string> = new Set()): Weights {
  const canaryTotal = Math.round((CANARY_TOTAL * percent) / 100);
  const split = (names: string[], total: number): Weights => {
    const eligible = names.filter((n) => !excluded.has(n));
    const base = Object.fromEntries((eligible.length ? eligible : names).map((n) => [n, current[n] ?? 0]));
    const shares = apportion(total, base);
    return Object.fromEntries(names.map((n) => [n, shares[n] ?? 0]));
  };
  return { ...current, ...split(side.stable, CANARY_TOTAL - canaryTotal), ...split(side.canary, canaryTotal) };
}

export type StepDecision = { ok: true; step: number; percent: number } | { ok: false; reason: "last-step" | "first-step" | "hold"; allowedAt?: string };

/** Whether the next step may be taken at `now`, and which. */
export function nextCanaryStep(state: CanaryState, now: Date): StepDecision {
  if (state.step >= state.steps.length - 1) return { ok: false, reason: "last-step" };
  if (state.lastStepAt && state.holdSeconds > 0) {
    const allowed = new Date(Date.parse(state.lastStepAt) + state.holdSeconds * 1000);
    if (now < allowed) return { ok: false, reason: "hold", allowedAt: allowed.toISOString() };
  }
  return { ok: true, step: state.step + 1, percent: state.steps[state.step + 1]! };
}

/** One step back; never held (backing out is always allowed). */
export function previousCanaryStep(state: CanaryState): StepDecision {
  if (state.step <= 0) return { ok: false, reason: "first-step" };
  return { ok: true, step: state.step - 1, percent: state.steps[state.step - 1]! };
}

/** The step whose percent the canary side currently gets, or -1 when the weights are off-plan. */
export function stepOfWeights(state: Pick<CanaryState, "canary" | "steps">, weights: Weights): number {
  const total = sumOf(weights);
  if (total === 0) return -1;
  const canary = state.canary.reduce((s, n) => s + (weights[n] ?? 0), 0);
  return state.steps.findIndex((p) => Math.round((CANARY_TOTAL * p) / 100) === Math.round((CANARY_TOTAL * canary) / total));
}

// ------------------------------------------------------------------------------ registry health

export interface HealthCount {
  healthy: number;
  total: number;
}

/** An instance takes traffic when it is healthy, enabled and has weight > 0. */
export function countHealthy(instances: ReadonlyArray<{ healthy: boolean; enabled: boolean; weight: number }>): HealthCount {
  return { healthy: instances.filter((i) => i.healthy && i.enabled && i.weight > 0).length, total: instances.length };
}
