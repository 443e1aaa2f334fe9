import type { Metadata } from "next";
import { cookies } from "next/headers";
import { PasswordForm } from "@/components/settings/password-form";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { ThemeSwitch } from "@/components/shell/theme-switch";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const [actor, locale, jar] = await Promise.all([requirePageActor(), requestLocale(), cookies()]);
  const theme = jar.get("switchyard.theme")?.value;
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">{t("settings.title")}</h1>
      <Card title={t("settings.profile")}>
        <dl className="grid max-w-md grid-cols-2 gap-2 text-sm">
          <dt className="text-slate-500">{t("login.username")}</dt>
          <dd>{actor.username}</dd>
          <dt className="text-slate-500">{t("settings.source")}</dt>
          <dd>{actor.source}</dd>
        </dl>
      </Card>
      <Card title={t("settings.preferences")}>
        <div className="grid max-w-md grid-cols-[8rem_1fr] items-center justify-items-start gap-3 text-sm">
          <span>{t("header.language")}</span>
          <LanguageSwitch signedIn />
          <span>{t("header.theme")}</span>
          <ThemeSwitch initial={theme === "light" || theme === "dark" ? theme : "system"} />
        </div>
      </Card>
      {/* Also under Settings → Tokens; kept here while the e2e specs create tokens on /settings. */}
      <Card title={t("tokens.title")}>
        <TokensPanel />
      </Card>
      <Card title={t("settings.password")}>{actor.source === "local" ? <PasswordForm /> : <p className="text-sm">{t("settings.ldapPassword")}</p>}</Card>
    </div>
  );
}
