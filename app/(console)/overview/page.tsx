import type { Metadata } from "next";
import { cookies } from "next/headers";
import { ActivityChart } from "@/components/audit/activity-chart";
import { EventsTable } from "@/components/audit/events-table";
import { OverviewDashboard } from "@/components/overview/overview-dashboard";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { listEnvironments } from "@/lib/environments/environments";
import { readiness } from "@/lib/health";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { RANGES, type OverviewScope, type Range } from "@/lib/overview/keys";

export const metadata: Metadata = { title: "Overview" };

/**
 * The overview of one environment (`?environment=`) or one site (`?site=`), range `?range=`;
 * without them the environment chosen in the header. The charts live in OverviewDashboard:
 * only this route loads the chart library.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [actor, locale, ready, jar, sp] = await Promise.all([requirePageActor(), requestLocale(), readiness(), cookies(), searchParams]);
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(locale, k, v);
  const envs = await listEnvironments(actor);
  const sites = [...new Set(envs.map((e) => e.labels.site).filter((s): s is string => Boolean(s)))].sort();
  const range: Range = (RANGES as readonly string[]).includes(String(sp.range)) ? (sp.range as Range) : "24h";
  let initial: OverviewScope | null = null;
  if (typeof sp.site === "string" && sites.includes(sp.site)) initial = { site: sp.site };
  else {
    const chosen = typeof sp.environment === "string" ? sp.environment : decodeURIComponent(jar.get("switchyard.env")?.value ?? "");
    const env = envs.find((e) => e.name === chosen) ?? envs[0];
    if (env) initial = { environment: env.name };
  }
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("overview.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300" data-testid="welcome">
          {t("overview.welcome", { name: actor.displayName })}
        </p>
      </div>
      <OverviewDashboard choice={{ environments: envs.map((e) => ({ name: e.name, prometheus: Boolean(e.prometheusUrl) })), sites }} initial={initial} initialRange={range} />
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
