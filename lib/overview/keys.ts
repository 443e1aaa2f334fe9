/**
 * TanStack Query keys and API addresses of the overview in the browser. Every overview key starts
 * with ["overview"], every golden-signals key with ["signals", environment].
 */
export const RANGES = ["1h", "6h", "24h", "7d"] as const;
export type Range = (typeof RANGES)[number];

export type OverviewScope = { environment: string } | { site: string };

export const overviewKeys = {
  all: ["overview"] as const,
  view: (scope: OverviewScope, range: Range) => [...overviewKeys.all, scope, range] as const,
};

export const signalKeys = {
  all: ["signals"] as const,
  view: (environment: string, range: Range, service?: string, namespace?: string) => [...signalKeys.all, environment, range, service ?? "", namespace ?? ""] as const,
};

export function overviewUrl(scope: OverviewScope, range: Range): string {
  const p = new URLSearchParams("environment" in scope ? { environment: scope.environment } : { site: scope.site });
  p.set("range", range);
  return `/api/v1/overview?${p.toString()}`;
}

export function signalsUrl(environment: string, range: Range, service?: string, namespace?: string): string {
  const p = new URLSearchParams({ range });
  if (service) p.set("service", service);
  if (namespace) p.set("namespace", namespace);
  return `/api/v1/environments/${encodeURIComponent(environment)}/signals?${p.toString()}`;
}

/** The audit list filtered to what a number counts (the audit page reads these parameters). */
export function auditListHref(f: { action?: string; outcome?: string; actor?: string; environment?: string; from?: string }): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  return `/audit?${p.toString()}`;
}

/** The mesh list of an environment's namespace filtered by validation badge (the mesh page reads these parameters). */
export function meshListHref(f: { environment: string; namespace?: string; badge: "error" | "warning" }): string {
  const p = new URLSearchParams({ environment: f.environment });
  if (f.namespace) p.set("ns", f.namespace);
  p.set("badge", f.badge);
  return `/mesh?${p.toString()}`;
}

/** The gateway's route list of an environment's namespace filtered to routes with errors or warnings (the routes page reads these parameters). */
export function gatewayRoutesHref(f: { environment: string; namespace?: string; issues: "error" | "warning" }): string {
  const p = new URLSearchParams({ environment: f.environment });
  if (f.namespace) p.set("namespace", f.namespace);
  p.set("issues", f.issues);
  return `/gateway?${p.toString()}`;
}

/** The areas whose objects the overview counts by validation badge (lib/overview/validation-sampler.ts). */
export const VALIDATION_AREAS = ["mesh", "gateway"] as const;
export type ValidationArea = (typeof VALIDATION_AREAS)[number];
