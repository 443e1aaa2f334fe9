"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { chooseLocale } from "@/components/shell/preferences";
import { HeaderSelect } from "@/components/ui/dropdown";
import { isLocale } from "@/lib/i18n/format";

export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <HeaderSelect
      label={t("header.language")}
      data-testid="language-switch"
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
    >
      <option value="en">English</option>
      <option value="zh-CN">简体中文</option>
    </HeaderSelect>
  );
}
