"use client";

import { useEffect, useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { chooseTheme, rememberedCookie } from "@/components/shell/preferences";
import { DropdownMenu } from "@/components/ui/dropdown";
import { signOut } from "@/lib/session/hooks";

export interface UserSummary {
  username: string;
  displayName: string;
  source: string;
  grants: Array<{ role: string; environmentSelector: string; namespacePattern: string }>;
}

export function UserMenu({ user }: { user: UserSummary }) {
  const { t } = useI18n();
  const [theme, setTheme] = useState<"light" | "dark" | "system">("system");

  useEffect(() => {
    const v = rememberedCookie("switchyard.theme");
    // Reads the remembered theme once the browser is known; the server rendered the same class.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (v === "light" || v === "dark") setTheme(v);
  }, []);

  return (
    <DropdownMenu
      label={t("header.userMenu")}
      testId="user-menu"
      trigger={
        <>
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-full bg-slate-200 text-xs font-semibold uppercase dark:bg-slate-700">
            {user.username.slice(0, 2)}
          </span>
          <span>{user.displayName}</span>
        </>
      }
    >
      <p className="font-medium">{user.displayName}</p>
      <p className="text-xs text-slate-500">
        {user.username} · {user.source}
      </p>
      <p className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("header.roles")}</p>
      <ul className="mt-1 space-y-1" data-testid="user-roles">
        {user.grants.map((g, i) => (
          <li key={i} className="flex flex-wrap gap-1">
            <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">{g.role}</span>
            <span className="text-xs text-slate-500">
              env {g.environmentSelector} · ns {g.namespacePattern}
            </span>
          </li>
        ))}
      </ul>
      <fieldset className="mt-3">
        <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("header.theme")}</legend>
        <div className="mt-1 flex gap-1">
          {(["light", "dark", "system"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="menuitemradio"
              aria-checked={theme === v}
              onClick={() => {
                setTheme(v);
                void chooseTheme(v, true).catch(() => undefined);
              }}
              className={`rounded px-2 py-1 text-xs ${theme === v ? "bg-sky-700 text-white" : "bg-slate-100 dark:bg-slate-800"}`}
            >
              {t(`theme.${v}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <button
        type="button"
        role="menuitem"
        data-testid="sign-out"
        onClick={() =>
          void signOut().finally(() => {
            // A full load on purpose: nothing cached for the previous user survives sign-out.
            // eslint-disable-next-line @next/next/no-location-assign-relative-destination
            window.location.href = "/login";
          })
        }
        className="mt-3 w-full rounded-md border border-slate-300 px-3 py-1.5 text-left hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {t("header.signOut")}
      </button>
    </DropdownMenu>
  );
}
