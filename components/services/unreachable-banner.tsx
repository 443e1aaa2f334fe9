"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import type { ApiError } from "@/lib/api-client";

/**
 * A registry that did not answer (502/504): one sentence naming the system and the environment
 * in the reader's language (the server's own wording is on hover, with the request id), a way
 * to try again and the way to the environment's settings.
 */
export function UnreachableBanner({ environment, system, error, onRetry }: { environment: string; system: "Nacos" | "ZooKeeper"; error: ApiError; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <Banner tone="error" role="alert" data-testid="backend-banner" className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span title={`${error.detail}${error.requestId ? ` (${error.requestId})` : ""}`}>{t("svc.unreachableBanner", { system, environment })}</span>
      <span className="inline-flex gap-3">
        <button type="button" className="underline" onClick={onRetry} data-testid="backend-retry">
          {t("common.retry")}
        </button>
        <a className="underline" href="/settings/environments">
          {t("svc.envSettings")}
        </a>
      </span>
    </Banner>
  );
}
