"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/api-client";
import { signedInPreferences, signIn, type SignInSource } from "@/lib/session/hooks";

export function LoginForm({ sources }: { sources: SignInSource[] }) {
  const { t } = useI18n();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [source, setSource] = useState(sources[0] ?? "local");
  // Until React has hydrated, a submit would be a native one; keep the button off till then.
  const [ready, setReady] = useState(false);
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setReady(true), []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!username || !password) {
      setError(t("login.required"));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await signIn({ username, password, source });
      // Carry the account's remembered language into this browser.
      const me = await signedInPreferences();
      if (!me) {
        // Signed in, yet the next request is anonymous: the browser dropped the Secure cookie.
        setError(t("login.cookieRefused"));
        return;
      }
      if (me.locale) document.cookie = `switchyard.locale=${me.locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
      if (me.theme) document.cookie = `switchyard.theme=${me.theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
      router.replace("/overview");
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t("login.failed"));
      else if (err instanceof ApiError && err.status === 429) setError(t("login.locked", { minutes: Math.max(1, Math.ceil(Number(err.body.retryAfter ?? 60) / 60)) }));
      else setError(t("login.unavailable"));
    } finally {
      setPending(false);
    }
  }

  return (
    // method=post: even a native submit never puts the password into a URL or an access log.
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={error ? "login-error" : undefined}>
      {sources.length > 1 && (
        <fieldset>
          <legend className="block text-sm font-medium">{t("login.sourceLabel")}</legend>
          <div className="mt-1 grid grid-cols-2 gap-2" role="radiogroup">
            {sources.map((s) => (
              <label key={s} className={`flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${source === s ? "border-sky-600 bg-sky-50 dark:bg-sky-950" : "border-slate-300 dark:border-slate-700"}`}>
                <input type="radio" name="source" value={s} checked={source === s} onChange={() => setSource(s)} data-testid={`source-${s}`} />
                {s === "ldap" ? t("login.sourceLdap") : t("login.sourceLocal")}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          {t("login.username")}
        </label>
        <Input large id="username" name="username" autoComplete="username" autoFocus required maxLength={256} className="mt-1 w-full" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {t("login.password")}
        </label>
        <Input large id="password" name="password" type="password" autoComplete="current-password" required maxLength={1024} className="mt-1 w-full" />
      </div>
      {error && (
        <p id="login-error" role="alert" data-testid="login-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending || !ready} className="w-full" data-testid="sign-in">
        {pending ? t("login.submitting") : t("login.submit")}
      </Button>
    </form>
  );
}
