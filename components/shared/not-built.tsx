"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Card } from "@/components/ui/card";
import type { MessageKey } from "@/lib/i18n/messages";

/** Says plainly that an area is not built yet, and what it will hold. */
export function NotBuilt({ title, body }: { title: MessageKey; body: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t(title)}</h1>
      <Card>
        <p className="inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
          {t("common.notBuilt")}
        </p>
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">{t(body)}</p>
      </Card>
    </div>
  );
}
