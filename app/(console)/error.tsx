"use client";

import Link from "next/link";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <Card title={t("error.title")}>
      <p className="text-sm">{t("common.error")}</p>
      {error.digest && (
        <p className="mt-1 text-xs text-slate-500">
          {t("common.requestId")}: <code>{error.digest}</code>
        </p>
      )}
      <div className="mt-4 flex gap-2">
        <Button onClick={reset}>{t("common.retry")}</Button>
        <Link href="/overview" className="rounded-md px-3 py-2 text-sm underline">
          {t("error.back")}
        </Link>
      </div>
    </Card>
  );
}
