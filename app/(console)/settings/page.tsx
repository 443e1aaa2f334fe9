import type { Metadata } from "next";
import Link from "next/link";
import { PasswordForm } from "@/components/settings/password-form";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { decide } from "@/lib/auth/rbac";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const [actor, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">{t("settings.title")}</h1>
        <div className="flex gap-4">
          <Link href="/settings/environments" className="text-sm text-sky-700 underline dark:text-sky-400" data-testid="manage-environments">
            {t("env.manage")}
          </Link>
          {decide(actor.grants, "access.read") && (
            <Link href="/settings/access" className="text-sm text-sky-700 underline dark:text-sky-400" data-testid="manage-access">
              {t("access.manage")}
            </Link>
          )}
        </div>
      </div>
      <Card title={t("settings.profile")}>
        <dl className="grid max-w-md grid-cols-2 gap-2 text-sm">
          <dt className="text-slate-500">{t("login.username")}</dt>
          <dd>{actor.username}</dd>
          <dt className="text-slate-500">{t("settings.source")}</dt>
          <dd>{actor.source}</dd>
        </dl>
      </Card>
      <Card title={t("settings.preferences")}>
        <div className="flex items-center gap-3 text-sm">
          <span>{t("header.language")}</span>
          <LanguageSwitch signedIn />
        </div>
      </Card>
      <Card title={t("tokens.title")}>
        <TokensPanel />
      </Card>
      <Card title={t("settings.password")}>{actor.source === "local" ? <PasswordForm /> : <p className="text-sm">{t("settings.ldapPassword")}</p>}</Card>
    </div>
  );
}
