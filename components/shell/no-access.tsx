"use client";

import { useI18n } from "@/components/i18n/i18n-provider";
import { Card } from "@/components/ui/card";
import type { NoAccessView } from "@/lib/access/no-access";

/**
 * A signed-in user with no role: why (their groups, none bound — or roles suspended) and whom
 * to ask (the admins by name). The console layout shows no sidebar with it.
 */
export function NoAccess({ view }: { view: NoAccessView }) {
  const { t } = useI18n();
  return (
    <Card title={t("noAccess.title")}>
      <div className="max-w-2xl space-y-3 text-sm" data-testid="no-access">
        {view.suspended ? <p>{view.suspended}</p> : <p>{t("noAccess.body")}</p>}
        {view.source === "ldap" && (
          <div data-testid="no-access-groups">
            <p className="font-medium">{view.groups.length ? t("noAccess.groups") : t("noAccess.noGroups")}</p>
            {view.groups.length > 0 && (
              <ul className="mt-1 list-inside list-disc font-mono text-xs">
                {view.groups.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div data-testid="no-access-admins">
          <p className="font-medium">{t("noAccess.ask")}</p>
          {view.admins.length ? (
            <ul className="mt-1 list-inside list-disc">
              {view.admins.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-slate-500">{t("noAccess.noAdmins")}</p>
          )}
        </div>
      </div>
    </Card>
  );
}
