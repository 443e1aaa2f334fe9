"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { chooseTheme } from "@/components/shell/preferences";
import { HeaderSelect } from "@/components/ui/dropdown";

type Theme = "light" | "dark" | "system";

/** Settings → Preferences: the theme, like the header's user menu (cookie here, saved on the account). */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const { t } = useI18n();
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <HeaderSelect
      label={t("header.theme")}
      data-testid="theme-switch"
      value={theme}
      onChange={(e) => {
        const v = e.target.value as Theme;
        setTheme(v);
        // The class and cookie change at once; a failed account update leaves the choice here.
        void chooseTheme(v, true).catch(() => undefined);
      }}
    >
      {(["light", "dark", "system"] as const).map((v) => (
        <option key={v} value={v}>
          {t(`theme.${v}`)}
        </option>
      ))}
    </HeaderSelect>
  );
}
