"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { chooseLocale } from "@/components/shell/preferences";
import { isLocale } from "@/lib/i18n/format";

export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">{t("header.language")}</span>
      <select
        data-testid="language-switch"
        aria-label={t("header.language")}
        value={locale}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value;
          if (!isLocale(next)) return;
          start(async () => {
            // The cookie is already set when the account update fails; the choice still holds here.
            await chooseLocale(next, signedIn).catch(() => undefined);
            router.refresh();
          });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="en">English</option>
        <option value="zh-CN">简体中文</option>
      </select>
    </label>
  );
}
