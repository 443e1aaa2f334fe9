"use client";

import { EnvironmentSwitch } from "@/components/shell/environment-switch";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { UserMenu, type UserSummary } from "@/components/shell/user-menu";

export function Header({ user }: { user: UserSummary }) {
  return (
    <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
      <EnvironmentSwitch />
      <div className="flex items-center gap-3">
        <LanguageSwitch signedIn />
        <UserMenu user={user} />
      </div>
    </header>
  );
}
