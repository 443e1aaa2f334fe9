"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { GoldenSignals } from "@/lib/overview/golden-signals";
import { overviewKeys, overviewUrl, signalKeys, signalsUrl, type OverviewScope, type Range } from "@/lib/overview/keys";
import type { OverviewView } from "@/lib/overview/overview";

export function useOverview(scope: OverviewScope, range: Range, refetchInterval: number | false) {
  return useQuery({ queryKey: overviewKeys.view(scope, range), queryFn: () => apiFetch<OverviewView>(overviewUrl(scope, range)), refetchInterval });
}

export function useGoldenSignals(environment: string, range: Range, filter: { service?: string; namespace?: string }, refetchInterval: number | false) {
  return useQuery({
    queryKey: signalKeys.view(environment, range, filter.service, filter.namespace),
    queryFn: () => apiFetch<GoldenSignals>(signalsUrl(environment, range, filter.service, filter.namespace)),
    refetchInterval,
  });
}
