"use client";

import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/lib/api-client";
import { auditKeys } from "@/lib/audit/keys";

/** Pages of audit events for a filter query string (`actor=…&action=…`), newest first, by cursor. */
export function useAuditEvents<Row>(pageSize: number, query: string) {
  return useInfiniteQuery({
    queryKey: auditKeys.events(pageSize, query),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => apiFetch<{ items: Row[]; nextCursor: string | null }>(`/api/v1/audit?limit=${pageSize}${query ? `&${query}` : ""}${pageParam ? `&cursor=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One event with the other rows of its request. */
export function useAuditEvent<Event>(id: number) {
  return useQuery({ queryKey: auditKeys.event(id), queryFn: () => apiFetch<{ event: Event; related: Event[] }>(`/api/v1/audit/${id}`) });
}

/** Changes per day over the last `days` days. */
export function useAuditActivity<Day>(days: number) {
  return useQuery({ queryKey: auditKeys.activity(days), queryFn: () => apiFetch<Day[]>(`/api/v1/audit/activity?days=${days}`) });
}

export interface VerifyReport {
  ok: boolean;
  count: number;
  headHash: string;
  firstBroken: { id: number; reason: string } | null;
  checkpoints: { mismatch: { at: string } | null };
}

/** Re-verifies the whole hash chain (auditors and admins). */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => apiFetch<VerifyReport>("/api/v1/audit/verify") });
}

export interface ExportedFile {
  blob: Blob;
  name: string;
  rows: number;
  size: number;
}

/**
 * Streams an export of the filtered log, reporting rows and bytes as they arrive. CSV counts
 * its header line and JSON Lines its manifest line: neither is a row.
 */
export async function streamAuditExport(query: string, format: "csv" | "jsonl", onProgress: (p: { rows: number; size: number }) => void): Promise<ExportedFile> {
  const res = await fetch(`/api/v1/audit/export?format=${format}${query ? `&${query}` : ""}`);
  if (!res.ok || !res.body) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; detail?: string; requestId?: string };
    throw new ApiError(res.status, p.code ?? "HTTP", p.detail ?? res.statusText, p.requestId);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let rows = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    for (const b of value) if (b === 10) rows++;
    onProgress({ rows, size });
  }
  const blob = new Blob(chunks as BlobPart[], { type: format === "csv" ? "text/csv" : "application/x-ndjson" });
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `audit.${format}`;
  return { blob, name, rows: Math.max(0, rows - 1), size };
}
