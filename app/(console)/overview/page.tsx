import type { Metadata } from "next";
import { ActivityChart } from "@/components/audit/activity-chart";
import { EventsTable } from "@/components/audit/events-table";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { readiness } from "@/lib/health";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const [actor, locale, ready] = await Promise.all([requirePageActor(), requestLocale(), readiness()]);
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(locale, k, v);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("overview.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300" data-testid="welcome">
          {t("overview.welcome", { name: actor.displayName })}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t("overview.status")}>
          <dl className="space-y-2 text-sm">
            <div className="flex justify-between">
              <dt className="text-slate-500">{t("overview.database")}</dt>
              <dd className={ready.ready ? "text-emerald-700 dark:text-emerald-400" : "text-red-700"}>
                {ready.database.kind === "pglite" ? "PGlite (embedded)" : ready.database.kind === "postgres" ? "PostgreSQL" : "—"} · {ready.ready ? "OK" : ready.database.error}
              </dd>
            </div>
            <div className="flex justify-between">
              <dt className="text-slate-500">{t("header.roles")}</dt>
              <dd>{[...new Set(actor.grants.map((g) => g.role))].join(", ")}</dd>
            </div>
          </dl>
        </Card>
        <Card title={t("overview.activityChart")} className="lg:col-span-2">
          <ActivityChart />
        </Card>
      </div>
      <Card title={t("overview.recent")} hint={t("overview.recentHint")}>
        <EventsTable pageSize={10} paged={false} />
      </Card>
    </div>
  );
}
