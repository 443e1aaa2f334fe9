"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ApplyResult, MultiApplyResult, PreviewResult } from "@/lib/kube-objects";
import type { RevisionView } from "@/lib/kube-objects/revisions";
import { meshKeys, type MeshListFilters } from "@/lib/mesh/keys";
import type { PolicyDetail, PolicyList, ValidationReport } from "@/lib/mesh/policies";

const base = (environment: string) => `/api/v1/environments/${encodeURIComponent(environment)}/mesh`;
const objectUrl = (environment: string, namespace: string, kind: string, name: string) => `${base(environment)}/${[kind, namespace, name].map(encodeURIComponent).join("/")}`;

export function usePolicies(environment: string, namespace: string, f: MeshListFilters) {
  const q = new URLSearchParams({ namespace });
  if (f.kind) q.set("kind", f.kind);
  if (f.host) q.set("host", f.host);
  if (f.badge) q.set("badge", f.badge);
  return useQuery({ queryKey: meshKeys.list(environment, namespace, f), queryFn: () => apiFetch<PolicyList>(`${base(environment)}?${q}`), enabled: namespace !== "" });
}

export function usePolicy(environment: string, namespace: string, kind: string, name: string, enabled = true) {
  return useQuery({ queryKey: meshKeys.detail(environment, namespace, kind, name), queryFn: () => apiFetch<PolicyDetail>(objectUrl(environment, namespace, kind, name)), enabled, retry: false });
}

export function useRevision(environment: string, namespace: string, kind: string, name: string, revision: number | null) {
  return useQuery({
    queryKey: meshKeys.revision(environment, namespace, kind, name, revision ?? 0),
    queryFn: () => apiFetch<RevisionView & { yaml: string }>(`${objectUrl(environment, namespace, kind, name)}/revisions/${revision}`),
    enabled: revision !== null,
    staleTime: Infinity,
  });
}

export function useValidate(environment: string, namespace: string, yaml: string) {
  return useQuery({
    queryKey: meshKeys.validate(environment, namespace, yaml),
    queryFn: () => apiFetch<ValidationReport>(`${base(environment)}/validate`, { method: "POST", json: { namespace, yaml } }),
    enabled: yaml.trim() !== "",
    staleTime: 10_000,
  });
}

export function previewPolicy(environment: string, body: Record<string, unknown>): Promise<PreviewResult> {
  return apiFetch<PreviewResult>(`${base(environment)}/preview`, { method: "POST", json: body });
}

/** Every change re-reads what shows the namespace's objects, success or not. */
function useNamespaceInvalidation(environment: string, namespace: string) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: meshKeys.namespace(environment, namespace) });
}

export function useApplyPolicy(environment: string, namespace: string) {
  const invalidate = useNamespaceInvalidation(environment, namespace);
  return useMutation({
    mutationFn: (b: { kind: string; name: string; yaml?: string; object?: Record<string, unknown>; resourceVersion: string | null }) =>
      apiFetch<ApplyResult>(objectUrl(environment, namespace, b.kind, b.name), { method: "PUT", json: { yaml: b.yaml, object: b.object, resourceVersion: b.resourceVersion } }),
    onSettled: invalidate,
  });
}

export function useApplyPolicies(environment: string, namespace: string) {
  const invalidate = useNamespaceInvalidation(environment, namespace);
  return useMutation({
    mutationFn: (objects: Array<{ kind: string; name: string; object?: Record<string, unknown>; yaml?: string; resourceVersion: string | null }>) =>
      apiFetch<MultiApplyResult>(`${base(environment)}/apply`, { method: "POST", json: { namespace, objects } }),
    onSettled: invalidate,
  });
}

export function useInjectFault(environment: string, namespace: string) {
  const invalidate = useNamespaceInvalidation(environment, namespace);
  return useMutation({
    mutationFn: (b: { name: string; object: Record<string, unknown>; resourceVersion: string | null; deadlineSeconds: number | null }) =>
      apiFetch<ApplyResult & { deadline: { id: string; revertAt: string } | null }>(`${base(environment)}/fault`, { method: "POST", json: { namespace, ...b } }),
    onSettled: invalidate,
  });
}

export function useDeletePolicy(environment: string, namespace: string) {
  const invalidate = useNamespaceInvalidation(environment, namespace);
  return useMutation({
    mutationFn: (b: { kind: string; name: string; resourceVersion: string }) => apiFetch<unknown>(`${objectUrl(environment, namespace, b.kind, b.name)}?resourceVersion=${encodeURIComponent(b.resourceVersion)}`, { method: "DELETE" }),
    onSettled: invalidate,
  });
}

export function useRollbackPolicy(environment: string, namespace: string, kind: string, name: string) {
  const invalidate = useNamespaceInvalidation(environment, namespace);
  return useMutation({
    mutationFn: (b: { revision: number; resourceVersion: string | null }) => apiFetch<ApplyResult & { from: number }>(`${objectUrl(environment, namespace, kind, name)}/rollback`, { method: "POST", json: b }),
    onSettled: invalidate,
  });
}
