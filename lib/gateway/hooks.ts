"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { gatewayKeys, type RouteListParams } from "@/lib/gateway/keys";
import type { GatewayView, RegistriesView, RouteDetailView, RouteListPage, RouteMapView, ZoneHealthView } from "@/lib/gateway/views";
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";
import type { TrafficState, Weights } from "@/lib/gateway/model/traffic";

const base = (environment: string) => `/api/v1/environments/${encodeURIComponent(environment)}/gateway`;
const objectUrl = (environment: string, kind: string, namespace: string, name: string) => `${base(environment)}/objects/${kind}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export function useGateways(environment: string) {
  return useQuery({ queryKey: gatewayKeys.gateways(environment), queryFn: () => apiFetch<{ items: GatewayView[] }>(`${base(environment)}/gateways`) });
}

/** One Gateway / Istio Gateway as stored (for the YAML editor); off while `ref` is null. */
export function useGatewayObject(environment: string, ref: { kind: string; namespace: string; name: string } | null) {
  return useQuery({
    enabled: ref !== null,
    queryKey: [...gatewayKeys.environment(environment), "object", ref?.kind ?? "", ref?.namespace ?? "", ref?.name ?? ""],
    queryFn: () => apiFetch<{ object: Record<string, unknown>; resourceVersion: string }>(objectUrl(environment, ref!.kind, ref!.namespace, ref!.name)),
  });
}

export function useRoutes(environment: string, p: RouteListParams) {
  const q = new URLSearchParams({ page: String(p.page), pageSize: String(p.pageSize) });
  if (p.namespace) q.set("namespace", p.namespace);
  if (p.search) q.set("search", p.search);
  if (p.type) q.set("type", p.type);
  if (p.issues) q.set("issues", p.issues);
  return useQuery({ queryKey: gatewayKeys.routes(environment, p), queryFn: () => apiFetch<RouteListPage>(`${base(environment)}/routes?${q}`), placeholderData: (prev) => prev });
}

export function useRouteMap(environment: string, search: string) {
  return useQuery({ queryKey: gatewayKeys.map(environment, search), queryFn: () => apiFetch<RouteMapView>(`${base(environment)}/map${search ? `?search=${encodeURIComponent(search)}` : ""}`), placeholderData: (prev) => prev });
}

export function useRoute(environment: string, namespace: string, name: string, options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: gatewayKeys.route(environment, namespace, name), queryFn: () => apiFetch<RouteDetailView>(objectUrl(environment, "HTTPRoute", namespace, name)), enabled: options.enabled ?? true });
}

export interface RevisionItem {
  revision: number;
  operation: string;
  resourceVersion: string | null;
  actor: string;
  createdAt: string;
}

export function useRevisions(environment: string, kind: string, namespace: string, name: string) {
  return useQuery({ queryKey: gatewayKeys.revisions(environment, kind, namespace, name), queryFn: () => apiFetch<{ items: RevisionItem[] }>(`${objectUrl(environment, kind, namespace, name)}/revisions`) });
}

export function useRegistries(environment: string) {
  return useQuery({ queryKey: gatewayKeys.registries(environment), queryFn: () => apiFetch<RegistriesView>(`${base(environment)}/registries`) });
}

export function useSiteBackends(environment: string, site: string, service: string, group: string) {
  return useQuery({
    enabled: Boolean(site && service),
    queryKey: gatewayKeys.backends(environment, site, service, group),
    queryFn: () => apiFetch<{ zones: ZoneHealthView[] }>(`${base(environment)}/backends?${new URLSearchParams({ site, service, group })}`),
  });
}

export interface PreviewAnswer {
  live: Record<string, unknown> | null;
  desired: Record<string, unknown> | null;
  unchanged: boolean;
  issues: ObjectIssue[];
  dryRun: { ok: true } | { ok: false; message: string } | null;
}

/** What an apply would do (issues, diff, the API server's dry-run verdict); changes nothing. */
export function usePreviewObject(environment: string) {
  return useMutation({
    mutationFn: (v: { kind: string; namespace: string; name: string; body: { object?: unknown; yaml?: string; resourceVersion: string | null } }) => apiFetch<PreviewAnswer>(objectUrl(environment, v.kind, v.namespace, v.name), { method: "POST", json: v.body }),
  });
}

/** Apply (create or replace) one object; every gateway query of the environment is re-read afterwards. */
export function useApplyObject(environment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: string; namespace: string; name: string; body: { object?: unknown; yaml?: string; resourceVersion: string | null } }) =>
      apiFetch<{ revision: number | null; created: boolean; warnings: ObjectIssue[] }>(objectUrl(environment, v.kind, v.namespace, v.name), { method: "PUT", json: v.body }),
    onSettled: () => qc.invalidateQueries({ queryKey: gatewayKeys.environment(environment) }),
  });
}

export function useDeleteObject(environment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: string; namespace: string; name: string; resourceVersion: string }) => apiFetch<unknown>(objectUrl(environment, v.kind, v.namespace, v.name), { method: "DELETE", json: { resourceVersion: v.resourceVersion } }),
    onSettled: () => qc.invalidateQueries({ queryKey: gatewayKeys.environment(environment) }),
  });
}

export interface TrafficAnswer {
  route: { namespace: string; name: string; resourceVersion: string | null };
  revision: number | null;
  weights: Array<{ rule: number; before: Weights; after: Weights }>;
  state: TrafficState;
  warnings: ObjectIssue[];
}

/** One traffic step (drain, restore, canary start/next/back/stop) on a route. */
export function useTraffic(environment: string, namespace: string, name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<TrafficAnswer>(`${base(environment)}/routes/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/traffic`, { method: "POST", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: gatewayKeys.environment(environment) }),
  });
}

export function useUpdateRegistries(environment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { add: string[]; remove: string[]; resourceVersion: string | null }) => apiFetch<{ revision: number | null }>(`${base(environment)}/registries`, { method: "PUT", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: gatewayKeys.environment(environment) }),
  });
}
