import type { ReactNode } from "react";
import { Tabs } from "@/components/ui/tabs";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";

/** Settings → Environments, Access, Tokens, Preferences: one tab per route. */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="space-y-6">
      <Tabs
        label="settings.tabs"
        exact={["/settings"]}
        items={[
          { href: "/settings/environments", label: "env.manage", testId: "manage-environments" },
          { href: "/settings/access", label: "settings.tab.access", testId: "manage-access", show: decide(actor.grants, "access.read") },
          { href: "/settings/tokens", label: "settings.tab.tokens", testId: "settings-tokens-tab" },
          { href: "/settings", label: "settings.preferences", testId: "settings-preferences-tab" },
        ]}
      />
      {children}
    </div>
  );
}
