"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";

/** The signed-in user's own password (local accounts; other sessions end on success). */
export function useChangePassword() {
  return useMutation({ mutationFn: (body: { currentPassword: string; newPassword: string }) => apiFetch("/api/v1/me/password", { method: "POST", json: body }) });
}

/** Saves the language or theme on the account (the cookie already holds it in this browser). */
export function savePreferences(p: { locale?: "en" | "zh-CN"; theme?: "light" | "dark" | "system" }): Promise<unknown> {
  return apiFetch("/api/v1/me/preferences", { method: "PATCH", json: p });
}
