"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Card } from "@/components/ui/card";

export function NoAccess() {
  const { t } = useI18n();
  return (
    <Card title={t("noAccess.title")}>
      <p className="text-sm" data-testid="no-access">
        {t("noAccess.body")}
      </p>
    </Card>
  );
}
