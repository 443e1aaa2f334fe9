"use client";

import { useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/api-client";
import { useChangePassword } from "@/lib/profile/hooks";

export function PasswordForm() {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const m = useChangePassword();
  const fieldError = (name: string) => (m.error instanceof ApiError ? m.error.fields.find((f) => f.field === name)?.message : undefined);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(false);
    const f = new FormData(e.currentTarget);
    m.mutate({ currentPassword: String(f.get("currentPassword") ?? ""), newPassword: String(f.get("newPassword") ?? "") }, { onSuccess: () => setDone(true) });
  }

  return (
    <form method="post" onSubmit={onSubmit} className="max-w-sm space-y-3" noValidate>
      <div>
        <label htmlFor="currentPassword" className="block text-sm font-medium">
          {t("settings.currentPassword")}
        </label>
        <Input large id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" className="mt-1 w-full" aria-invalid={Boolean(fieldError("currentPassword"))} />
        {fieldError("currentPassword") && <p className="mt-1 text-xs text-red-700">{fieldError("currentPassword")}</p>}
      </div>
      <div>
        <label htmlFor="newPassword" className="block text-sm font-medium">
          {t("settings.newPassword")}
        </label>
        <Input large id="newPassword" name="newPassword" type="password" autoComplete="new-password" className="mt-1 w-full" aria-describedby="pw-hint" aria-invalid={Boolean(fieldError("newPassword"))} />
        <p id="pw-hint" className="mt-1 text-xs text-slate-500">
          {t("settings.passwordHint")}
        </p>
        {fieldError("newPassword") && <p className="mt-1 text-xs text-red-700">{fieldError("newPassword")}</p>}
      </div>
      {m.isError && !(m.error instanceof ApiError && m.error.fields.length) && (
        <p role="alert" className="text-sm text-red-700">
          {m.error instanceof ApiError ? m.error.detail : t("common.error")}
        </p>
      )}
      {done && (
        <p role="status" className="text-sm text-emerald-700">
          {t("settings.passwordChanged")}
        </p>
      )}
      <Button type="submit" disabled={m.isPending}>
        {m.isPending ? t("common.saving") : t("common.save")}
      </Button>
    </form>
  );
}
