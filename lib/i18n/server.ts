import "server-only";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, THEME_COOKIE } from "@/lib/auth/cookies";
import { isLocale, negotiateLocale, type Locale } from "@/lib/i18n/messages";

/** The request's locale: the remembered choice (cookie), else the browser's language. */
export async function requestLocale(): Promise<Locale> {
  const c = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(c)) return c;
  return negotiateLocale((await headers()).get("accept-language"));
}

export type Theme = "light" | "dark" | "system";

export async function requestTheme(): Promise<Theme> {
  const t = (await cookies()).get(THEME_COOKIE)?.value;
  return t === "light" || t === "dark" ? t : "system";
}
