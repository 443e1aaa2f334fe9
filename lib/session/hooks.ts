"use client";

import { apiFetch } from "@/lib/api-client";

/** Where the browser signs in and out (the sign-in page and the user menu). */
const SIGN_IN = "/api/v1/auth/sign-in";
const SIGN_OUT = "/api/v1/auth/sign-out";
const ME = "/api/v1/me";

export type SignInSource = "ldap" | "local";

/** Signs in (sets the session cookie); rejects with ApiError (401 wrong credentials, 429 locked). */
export function signIn(body: { username: string; password: string; source: SignInSource }): Promise<unknown> {
  return apiFetch(SIGN_IN, { method: "POST", json: body });
}

/**
 * The account's remembered language and theme, read right after sign-in; null when that read
 * is anonymous (the browser dropped the Secure session cookie) or fails.
 */
export function signedInPreferences(): Promise<{ locale: string | null; theme: string | null } | null> {
  return apiFetch<{ locale: string | null; theme: string | null }>(ME).catch(() => null);
}

/** Ends the session server-side; settles either way (the caller then loads /login). */
export function signOut(): Promise<unknown> {
  return fetch(SIGN_OUT, { method: "POST" });
}
