import type { Metadata } from "next";
import { cookies } from "next/headers";
import { ServicesExplorer } from "@/components/services/services-explorer";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { listEnvironments } from "@/lib/environments/environments";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Services" };

/**
 * `?environment=` picks the environment (when visible; otherwise the header's), `?unhealthy=true`
 * opens the list filtered to services with an unhealthy instance — the overview links here.
 */
export default async function ServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [actor, locale, jar, params] = await Promise.all([requirePageActor(), requestLocale(), cookies(), searchParams]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const visible = (await listEnvironments(actor)).filter((e) => e.registry?.kind === "nacos" || e.registry?.kind === "zookeeper");
  const linked = typeof params.environment === "string" ? params.environment : "";
  const chosen = visible.some((e) => e.name === linked) ? linked : decodeURIComponent(jar.get("switchyard.env")?.value ?? "");
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {t("svc.title")}
        {env && <span className="ml-2 text-base font-normal text-slate-500">· {env.name}</span>}
      </h1>
      {!env?.registry ? (
        <Card>
          <p className="text-sm">{t("svc.pickEnv")}</p>
        </Card>
      ) : (
        <ServicesExplorer
          key={env.name}
          environment={env.name}
          namespaces={env.registry.kind === "nacos" && env.registry.namespaces.length ? env.registry.namespaces : [""]}
          registry={env.registry.kind}
          initialUnhealthyOnly={params.unhealthy === "true"}
        />
      )}
    </div>
  );
}
