"use client";

import { useState } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ErrorState, Spinner } from "@/components/ui/states";
import { fetchConfigCompare, type CompareSideView } from "@/lib/configs/hooks";
import type { ConfigDetailView } from "@/lib/configs/views";

/** The config here against the same dataId and group in another environment or namespace, side by side. */
export function ComparePanel({ detail, environments }: { detail: ConfigDetailView; environments: string[] }) {
  const { t } = useI18n();
  const [otherEnv, setOtherEnv] = useState(environments.find((e) => e !== detail.environment) ?? detail.environment);
  const [otherNs, setOtherNs] = useState(detail.namespace);
  const [result, setResult] = useState<{ left: CompareSideView; right: CompareSideView } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const label = (s: CompareSideView) => `${s.environment} · ${s.namespace || "public"}${s.content === null ? ` (${t("configs.compare.absent")})` : ""}`;
  async function compare() {
    setError(null);
    setLoading(true);
    try {
      setResult(await fetchConfigCompare(detail.environment, detail.namespace, detail.group, detail.dataId, otherEnv, otherNs));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }
  return (
    <section className="space-y-3" data-testid="compare-panel">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs">
          {t("configs.compare.environment")}
          <Select className="ml-2" value={otherEnv} onChange={(e) => setOtherEnv(e.target.value)} data-testid="compare-env" options={environments} />
        </label>
        <label className="text-xs">
          {t("configs.namespace")}
          <Input className="ml-2 w-48" value={otherNs} onChange={(e) => setOtherNs(e.target.value)} placeholder="public" data-testid="compare-ns" />
        </label>
        <Button variant="secondary" onClick={() => void compare()} disabled={loading} data-testid="compare-run">
          {t("configs.compare.run")}
        </Button>
      </div>
      {loading && <Spinner />}
      {error !== null && <ErrorState error={error} />}
      {result && <DiffView before={result.left.content ?? ""} after={result.right.content ?? ""} beforeLabel={label(result.left)} afterLabel={label(result.right)} mode="split" maxHeight="32rem" testId="compare-diff" />}
    </section>
  );
}
