"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { UserMenu, type UserSummary } from "@/components/shell/user-menu";

export function Header({ user }: { user: UserSummary }) {
  const { t } = useI18n();
  return (
    <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
      <label className="flex items-center gap-2 text-sm">
        <span className="text-slate-500">{t("header.environment")}</span>
        {/* Environments are registered in Settings → Environments; until then there is nothing to switch. */}
        <select
          disabled
          aria-label={t("header.environment")}
          className="rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 text-sm text-slate-500 dark:border-slate-700 dark:bg-slate-800"
        >
          <option>{t("header.noEnvironments")}</option>
        </select>
      </label>
      <div className="flex items-center gap-3">
        <LanguageSwitch signedIn />
        <UserMenu user={user} />
      </div>
    </header>
  );
}
