"use client";

import { useState } from "react";
import { GoldenSignalsLazy } from "@/components/overview/golden-signals-lazy";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";

/**
 * The service's golden signals (overview area), fetched only when asked for: the charts'
 * library (~120 KB gzip) would otherwise download with every service page and break its
 * first-load budget (e2e/shell/bundle-budget.spec.ts).
 */
export function ServiceSignals({ environment, service }: { environment: string; service: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="service-signals">
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{t("svc.signalsSlot")}</h2>
        <Button variant="secondary" aria-expanded={shown} onClick={() => setShown((s) => !s)} data-testid="service-signals-toggle">
          {shown ? t("svc.signalsHide") : t("svc.signalsShow")}
        </Button>
      </div>
      {/* The registry namespace is not a Kubernetes namespace: matched by service name only. */}
      {shown && (
        <div className="mt-3">
          <GoldenSignalsLazy environment={environment} service={service} />
        </div>
      )}
    </section>
  );
}
