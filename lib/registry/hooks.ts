"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { serviceKeys, siteKeys, znodeKeys, type ServiceListParams } from "@/lib/registry/keys";
import type { NacosService } from "@/lib/nacos/schemas";
import type { ServiceDetailView } from "@/lib/registry/service-views";
import type { DisableEverywhereResult, MergedServiceDetail, MergedServicesPage } from "@/lib/registry/zone-views";
import type { ZnodeView } from "@/lib/registry/znodes";

export interface ServicesPage {
  total: number;
  pages: number;
  items: NacosService[];
}
export type ServiceDetail = ServiceDetailView;

const servicesUrl = (environment: string) => `/api/v1/environments/${encodeURIComponent(environment)}/services`;
/** One service's resource: `…/services/{group}/{service}` (the namespace stays a query parameter). */
const serviceUrl = (environment: string, group: string, service: string) => `${servicesUrl(environment)}/${encodeURIComponent(group)}/${encodeURIComponent(service)}`;

/** One page of an environment's services (also used page by page for the CSV export). */
export function fetchServicesPage(environment: string, namespace: string, p: ServiceListParams): Promise<ServicesPage> {
  const { search, sort, unhealthyOnly } = p;
  return apiFetch<ServicesPage>(
    `${servicesUrl(environment)}?namespace=${encodeURIComponent(namespace)}&page=${p.page}&pageSize=${p.pageSize}${search ? `&search=${encodeURIComponent(search)}` : ""}${sort ? `&sort=${sort.desc ? "-" : ""}${sort.key}` : ""}${unhealthyOnly ? "&unhealthy=true" : ""}`,
  );
}

export function useServices(environment: string, namespace: string, params: ServiceListParams, options: { refetchInterval?: number | false } = {}) {
  return useQuery({ queryKey: serviceKeys.list(environment, namespace, params), queryFn: () => fetchServicesPage(environment, namespace, params), ...options });
}

export function useServiceDetail(environment: string, namespace: string, service: { group: string; name: string } | null, options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    enabled: service !== null,
    queryKey: serviceKeys.detail(environment, namespace, service?.group ?? "", service?.name ?? ""),
    queryFn: () =>
      apiFetch<ServiceDetail>(`${serviceUrl(environment, service!.group, service!.name)}?namespace=${encodeURIComponent(namespace)}`),
    ...options,
  });
}

/** Changes one instance of a service (weight, enabled, metadata); success or not, the environment's services are re-read. */
export function useUpdateInstance(environment: string, group: string, service: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<{ outcome?: string } | null>(`${serviceUrl(environment, group, service)}/instance`, { method: "PATCH", json: body }),
    onSettled: () => void qc.invalidateQueries({ queryKey: serviceKeys.environment(environment) }),
  });
}

// Zones of a site (/services/zones).

const siteUrl = (site: string) => `/api/v1/sites/${encodeURIComponent(site)}`;
/** "" reads each zone's own first namespace. */
const nsQuery = (namespace: string) => (namespace ? `&namespace=${encodeURIComponent(namespace)}` : "");

export function useSiteServices(site: string, namespace: string, search: string, page: number, pageSize: number) {
  return useQuery({
    enabled: site !== "",
    queryKey: siteKeys.list(site, namespace, search, page),
    queryFn: () => apiFetch<MergedServicesPage>(`${siteUrl(site)}/services?page=${page}&pageSize=${pageSize}${nsQuery(namespace)}${search ? `&search=${encodeURIComponent(search)}` : ""}`),
  });
}

export function useSiteServiceDetail(site: string, namespace: string, service: { group: string; name: string } | null) {
  return useQuery({
    enabled: service !== null,
    queryKey: siteKeys.detail(site, namespace, service?.group ?? "", service?.name ?? ""),
    queryFn: () => apiFetch<MergedServiceDetail>(`${siteUrl(site)}/services/${encodeURIComponent(service!.group)}/${encodeURIComponent(service!.name)}?${nsQuery(namespace).slice(1)}`),
  });
}

export function useDisableEverywhere(site: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<DisableEverywhereResult>(`${siteUrl(site)}/disable`, { method: "POST", json: body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: siteKeys.site(site) }),
  });
}

// Raw znodes of a ZooKeeper environment (/services/znodes).

const znodesUrl = (environment: string) => `/api/v1/environments/${encodeURIComponent(environment)}/znodes`;

export function useZnode(environment: string, path: string) {
  return useQuery({ queryKey: znodeKeys.node(environment, path), queryFn: () => apiFetch<ZnodeView>(`${znodesUrl(environment)}?path=${encodeURIComponent(path)}`) });
}

/** Saves a znode's data at the loaded version, or creates a child (`create: true`). */
export function useWriteZnode(environment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { path: string; data: string; expectedVersion?: number; create?: true }) => apiFetch(znodesUrl(environment), { method: "PUT", json: body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: znodeKeys.environment(environment) }),
  });
}

export function useDeleteZnode(environment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { path: string; expectedVersion: number }) =>
      apiFetch(`${znodesUrl(environment)}?path=${encodeURIComponent(v.path)}&expectedVersion=${v.expectedVersion}`, { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: znodeKeys.environment(environment) }),
  });
}
