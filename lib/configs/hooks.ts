"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/lib/api-client";
import { configApiPath, configKeys, type ConfigListParams } from "@/lib/configs/keys";
import type { ConfigDetailView, ConfigHistoryPage, ConfigHistoryRecordView, ConfigListPage, GrayPreview, GrayStatusView, TransferPreviewView, TransferProgressView, TransferResultView } from "@/lib/configs/views";

const configsUrl = (environment: string) => `/api/v1/environments/${encodeURIComponent(environment)}/configs`;
const ns = (namespace: string) => `namespace=${encodeURIComponent(namespace)}`;

/** One page of configs (also used page by page for the CSV export). */
export function fetchConfigsPage(environment: string, namespace: string, p: ConfigListParams): Promise<ConfigListPage> {
  const q = new URLSearchParams({ namespace, page: String(p.page), pageSize: String(p.pageSize), match: p.match });
  if (p.dataId) q.set("dataId", p.dataId);
  if (p.group) q.set("group", p.group);
  if (p.type) q.set("type", p.type);
  if (p.grayOnly) q.set("gray", "true");
  return apiFetch<ConfigListPage>(`${configsUrl(environment)}?${q.toString()}`);
}

export function useConfigNamespaces(environment: string) {
  return useQuery({
    queryKey: configKeys.namespaces(environment),
    queryFn: () => apiFetch<Array<{ id: string; name: string; configCount: number }>>(`${configsUrl(environment)}/namespaces`),
  });
}

export function useConfigs(environment: string, namespace: string, params: ConfigListParams, enabled = true) {
  return useQuery({ enabled, queryKey: configKeys.list(environment, namespace, params), queryFn: () => fetchConfigsPage(environment, namespace, params) });
}

/** Which of a page's configs (`group/dataId`) Nacos serves a beta of now, whoever started it: the list's badges. */
export function useConfigBetas(environment: string, namespace: string, keys: string[]) {
  return useQuery({
    enabled: keys.length > 0,
    queryKey: configKeys.betas(environment, namespace, keys),
    queryFn: () => apiFetch<{ keys: string[] }>(`${configsUrl(environment)}/betas?${new URLSearchParams({ namespace, keys: keys.join(",") }).toString()}`),
  });
}

export function useConfigDetail(environment: string, namespace: string, group: string, dataId: string) {
  return useQuery({
    queryKey: configKeys.detail(environment, namespace, group, dataId),
    queryFn: () => apiFetch<ConfigDetailView>(`${configApiPath(environment, group, dataId)}?${ns(namespace)}`),
    retry: false,
  });
}

export function useConfigHistory(environment: string, namespace: string, group: string, dataId: string, page: number) {
  return useQuery({
    queryKey: configKeys.history(environment, namespace, group, dataId, page),
    queryFn: () => apiFetch<ConfigHistoryPage>(`${configApiPath(environment, group, dataId)}/history?${ns(namespace)}&page=${page}&pageSize=20`),
  });
}

export function useConfigHistoryRecord(environment: string, namespace: string, group: string, dataId: string, id: string | null) {
  return useQuery({
    enabled: id !== null,
    queryKey: configKeys.historyRecord(environment, namespace, group, dataId, id ?? ""),
    queryFn: () => apiFetch<ConfigHistoryRecordView>(`${configApiPath(environment, group, dataId)}/history/${encodeURIComponent(id!)}?${ns(namespace)}`),
  });
}

/** After any change of a config, everything shown of the environment's configs is re-read. */
function useInvalidate(environment: string) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: configKeys.environment(environment) });
}

export function useCreateConfig(environment: string) {
  const invalidate = useInvalidate(environment);
  return useMutation({
    mutationFn: (body: { namespace: string; group: string; dataId: string; type: string; content: string }) => apiFetch<{ md5: string }>(configsUrl(environment), { method: "POST", json: body }),
    onSettled: invalidate,
  });
}

export function useUpdateConfig(environment: string, namespace: string, group: string, dataId: string) {
  const invalidate = useInvalidate(environment);
  return useMutation({
    mutationFn: (body: { type: string; content: string; casMd5: string; baseContent: string }) =>
      apiFetch<{ md5: string; confirmed: boolean }>(`${configApiPath(environment, group, dataId)}?${ns(namespace)}`, { method: "PUT", json: body }),
    onSettled: invalidate,
  });
}

export function useDeleteConfig(environment: string, namespace: string, group: string, dataId: string) {
  const invalidate = useInvalidate(environment);
  return useMutation({
    mutationFn: (casMd5: string) => apiFetch<{ deleted: boolean }>(`${configApiPath(environment, group, dataId)}?${ns(namespace)}&casMd5=${casMd5}`, { method: "DELETE" }),
    onSettled: invalidate,
  });
}

export function useRollbackConfig(environment: string, namespace: string, group: string, dataId: string) {
  const invalidate = useInvalidate(environment);
  return useMutation({
    mutationFn: (body: { historyId: string; casMd5: string }) => apiFetch<{ md5: string }>(`${configApiPath(environment, group, dataId)}/rollback`, { method: "POST", json: { ...body, namespace } }),
    onSettled: invalidate,
  });
}

export function useGrayStatus(environment: string, namespace: string, group: string, dataId: string, refetchInterval: number | false) {
  return useQuery({
    queryKey: configKeys.grayStatus(environment, namespace, group, dataId),
    queryFn: () => apiFetch<GrayStatusView>(`${configApiPath(environment, group, dataId)}/gray?${ns(namespace)}`),
    refetchInterval,
  });
}

export function fetchGrayPreview(environment: string, namespace: string, group: string, dataId: string, rule: Record<string, string>): Promise<GrayPreview> {
  const q = new URLSearchParams({ namespace, ...rule });
  return apiFetch<GrayPreview>(`${configApiPath(environment, group, dataId)}/gray/preview?${q.toString()}`);
}

export function useGrayAction(environment: string, namespace: string, group: string, dataId: string) {
  const invalidate = useInvalidate(environment);
  return useMutation({
    mutationFn: ({ action, body }: { action: "start" | "widen" | "promote" | "abort"; body: Record<string, unknown> }) =>
      apiFetch<Record<string, unknown>>(`${configApiPath(environment, group, dataId)}/gray${action === "start" ? "" : `/${action}`}`, { method: "POST", json: { ...body, namespace } }),
    onSettled: invalidate,
  });
}

export interface CompareSideView {
  environment: string;
  namespace: string;
  content: string | null;
  md5: string | null;
  type: string | null;
}

/** The config here and in another environment or namespace (fetched when asked). */
export function fetchConfigCompare(environment: string, namespace: string, group: string, dataId: string, otherEnvironment: string, otherNamespace: string): Promise<{ left: CompareSideView; right: CompareSideView }> {
  const q = new URLSearchParams({ namespace, otherEnvironment, otherNamespace });
  return apiFetch(`${configApiPath(environment, group, dataId)}/compare?${q.toString()}`);
}

export interface ConfigKeyRef {
  group: string;
  dataId: string;
}

/** Downloads the selected configs (or the whole namespace) as a zip in Nacos' layout; secrets redacted server side. */
export async function downloadConfigsZip(environment: string, namespace: string, items: ConfigKeyRef[] | null): Promise<{ count: number; redacted: number }> {
  const res = await fetch(`${configsUrl(environment)}/export`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/zip, application/problem+json" },
    body: JSON.stringify({ namespace, ...(items ? { items } : {}) }),
  });
  if (!res.ok) await throwProblem(res);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "nacos_config_export.zip";
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
  return { count: Number(res.headers.get("x-export-count") ?? 0), redacted: Number(res.headers.get("x-export-redacted") ?? 0) };
}

async function throwProblem(res: Response): Promise<never> {
  const p = ((await res.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  throw new ApiError(
    res.status,
    typeof p.code === "string" ? p.code : `HTTP_${res.status}`,
    typeof p.detail === "string" ? p.detail : res.statusText,
    typeof p.requestId === "string" ? p.requestId : (res.headers.get("x-request-id") ?? undefined),
    Array.isArray(p.errors) ? (p.errors as ApiError["fields"]) : [],
    p,
  );
}

export type TransferKind = "import" | "clone";

/** The dry-run plan with diffs (nothing written). */
export function fetchTransferPreview(kind: TransferKind, environment: string, body: Record<string, unknown>): Promise<TransferPreviewView> {
  return apiFetch<TransferPreviewView>(`${configsUrl(environment)}/${kind}?preview=true`, { method: "POST", json: body });
}

/**
 * Runs an import or clone, streaming its progress: one callback per written item, then the
 * result. A refusal before any write (403, 409 / 422 under abort, 400) throws ApiError.
 */
export async function runTransfer(kind: TransferKind, environment: string, body: Record<string, unknown>, onProgress: (p: TransferProgressView) => void): Promise<TransferResultView> {
  const res = await fetch(`${configsUrl(environment)}/${kind}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/x-ndjson, application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) await throwProblem(res);
  if (!(res.headers.get("content-type") ?? "").includes("ndjson")) return (await res.json()) as TransferResultView;
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buf += dec.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = JSON.parse(buf.slice(0, nl)) as { progress?: TransferProgressView; result?: TransferResultView; error?: { status: number; detail: string } };
      buf = buf.slice(nl + 1);
      if (line.progress) onProgress(line.progress);
      if (line.result) return line.result;
      if (line.error) throw new ApiError(line.error.status, `HTTP_${line.error.status}`, line.error.detail, res.headers.get("x-request-id") ?? undefined);
    }
    if (done) throw new ApiError(502, "INCOMPLETE", "the answer ended before the result", res.headers.get("x-request-id") ?? undefined);
  }
}
