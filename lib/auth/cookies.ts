/** Cookie names and flags (docs/security.md §5): __Host- prefix, Secure, HttpOnly, SameSite=Lax. */
import { serverEnv } from "@/lib/env";

export function secureCookies(): boolean {
  return serverEnv().SWITCHYARD_COOKIE_SECURE;
}

export function sessionCookieName(): string {
  return secureCookies() ? "__Host-switchyard.session" : "switchyard.session";
}

export const LOCALE_COOKIE = "switchyard.locale";
export const THEME_COOKIE = "switchyard.theme";
