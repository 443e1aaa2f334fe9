import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { pageActor } from "@/lib/auth/page";
import { signInSources } from "@/lib/session/sign-in";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await pageActor().catch(() => null)) redirect("/overview");
  const locale = await requestLocale();
  const sources = signInSources();
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  return (
    <main className="grid min-h-screen place-items-center bg-slate-100 p-6 dark:bg-slate-950">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <div className="flex items-center gap-2">
            <span aria-hidden className="grid h-8 w-8 place-items-center rounded bg-sky-700 font-bold text-white">
              S
            </span>
            <span className="text-lg font-semibold">{t("app.name")}</span>
          </div>
          <LanguageSwitch signedIn={false} />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h1 className="text-lg font-semibold">{t("login.title")}</h1>
          <p className="mb-5 mt-1 text-xs text-slate-500 dark:text-slate-400">{t("app.tagline")}</p>
          <LoginForm sources={sources} />
          <p className="mt-5 border-t border-slate-200 pt-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">{t(sources.includes("ldap") ? "login.source" : "login.sourceLocalOnly")}</p>
        </div>
      </div>
    </main>
  );
}
