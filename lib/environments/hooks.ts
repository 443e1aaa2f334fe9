"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { environmentKeys } from "@/lib/environments/keys";

/** An environment as GET /api/v1/environments answers (secrets only named, never sent). */
export interface EnvironmentView {
  name: string;
  description: string;
  labels: Record<string, string>;
  registry: { kind: "nacos"; url: string; username?: string; namespaces: string[] } | { kind: "zookeeper"; hosts: string; layout: string; root: string } | null;
  kubernetes: { apiUrl: string; caPem?: string; auth: "client-certificate" | "bearer-token" } | null;
  prometheusUrl: string | null;
  version: number;
  credentials: string[];
}

/** One system's answer to a connection test. */
export interface ConnectionVerdict {
  system: string;
  ok: boolean;
  latencyMs: number;
  message: string;
}

export function useEnvironments(options: { retry?: boolean } = {}) {
  return useQuery({ queryKey: environmentKeys.list(), queryFn: () => apiFetch<EnvironmentView[]>("/api/v1/environments"), ...options });
}

function useEnvironmentMutation<V>(mutationFn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => void qc.invalidateQueries({ queryKey: environmentKeys.all }) });
}

export function useCreateEnvironment() {
  return useEnvironmentMutation((body: Record<string, unknown>) => apiFetch("/api/v1/environments", { method: "POST", json: body }));
}

export function useUpdateEnvironment() {
  return useEnvironmentMutation((v: { before: Pick<EnvironmentView, "name" | "version">; body: Record<string, unknown> }) =>
    apiFetch(`/api/v1/environments/${v.before.name}`, { method: "PUT", json: { ...v.body, expectedVersion: v.before.version } }),
  );
}

export function useDeleteEnvironment() {
  return useEnvironmentMutation((env: Pick<EnvironmentView, "name" | "version">) =>
    apiFetch(`/api/v1/environments/${env.name}?expectedVersion=${env.version}`, { method: "DELETE" }),
  );
}

/** Tests the stored connection of one environment; the caller keeps the verdicts per name. */
export function testEnvironment(name: string): Promise<ConnectionVerdict[]> {
  return apiFetch<ConnectionVerdict[]>(`/api/v1/environments/${name}/test`, { method: "POST" });
}
