"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { chooseTheme } from "@/components/shell/preferences";

type Theme = "light" | "dark" | "system";

/** Settings → Preferences: the theme, like the header's user menu (cookie here, saved on the account). */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const { t } = useI18n();
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <select
      data-testid="theme-switch"
      aria-label={t("header.theme")}
      value={theme}
      onChange={(e) => {
        const v = e.target.value as Theme;
        setTheme(v);
        // The class and cookie change at once; a failed account update leaves the choice here.
        void chooseTheme(v, true).catch(() => undefined);
      }}
      className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
    >
      {(["light", "dark", "system"] as const).map((v) => (
        <option key={v} value={v}>
          {t(`theme.${v}`)}
        </option>
      ))}
    </select>
  );
}
