"use client";

import type { Locale } from "@/lib/i18n/format";
import { savePreferences } from "@/lib/profile/hooks";

const YEAR = 365 * 24 * 3600;

function setCookie(name: string, value: string): void {
  document.cookie = `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${YEAR}; SameSite=Lax`;
}

/** Remembers the language in this browser (cookie) and, when signed in, on the account. */
export async function chooseLocale(locale: Locale, signedIn: boolean): Promise<void> {
  setCookie("switchyard.locale", locale);
  if (signedIn) await savePreferences({ locale });
}

export async function chooseTheme(theme: "light" | "dark" | "system", signedIn: boolean): Promise<void> {
  setCookie("switchyard.theme", theme);
  document.documentElement.classList.remove("light", "dark", "system");
  document.documentElement.classList.add(theme);
  if (signedIn) await savePreferences({ theme });
}

export function rememberedCookie(name: string): string | undefined {
  return document.cookie
    .split("; ")
    .find((c) => c.startsWith(name + "="))
    ?.split("=")[1];
}
