"use client";

import dynamic from "next/dynamic";
import { Spinner } from "@/components/ui/states";
import type { GoldenSignalsProps } from "@/components/overview/golden-signals";

/**
 * GoldenSignals loaded on demand: pages without charts of their own (the service page) mount
 * this, so Recharts reaches the browser only when the signals are shown, never in their first load.
 */
const Loaded = dynamic(() => import("@/components/overview/golden-signals").then((m) => m.GoldenSignals), { ssr: false, loading: () => <Spinner /> });

export function GoldenSignalsLazy(props: GoldenSignalsProps) {
  return <Loaded {...props} />;
}
