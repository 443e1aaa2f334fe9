import type { Metadata } from "next";
import { cookies } from "next/headers";
import { ConfigsExplorer } from "@/components/configs/configs-explorer";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { configEnvironments, configRights } from "@/lib/configs/page-access";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Configs" };

/** The configs of the header's environment (a Nacos one), by namespace. */
export default async function ConfigsPage({ searchParams }: { searchParams: Promise<{ namespace?: string }> }) {
  const [actor, locale, jar, sp] = await Promise.all([requirePageActor(), requestLocale(), cookies(), searchParams]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const visible = await configEnvironments(actor);
  const chosen = decodeURIComponent(jar.get("switchyard.env")?.value ?? "");
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  const namespace = typeof sp.namespace === "string" && /^[A-Za-z0-9_-]{0,128}$/.test(sp.namespace) ? (sp.namespace === "public" ? "" : sp.namespace) : "";
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {t("configs.title")}
        {env && <span className="ml-2 text-base font-normal text-slate-500">· {env.name}</span>}
      </h1>
      {!env ? (
        <Card>
          <p className="text-sm">{t("configs.pickEnv")}</p>
        </Card>
      ) : (
        <ConfigsExplorer key={env.name} environment={env.name} initialNamespace={namespace} canCreate={configRights(actor, env, namespace).canPublish} environments={visible.map((e) => e.name)} />
      )}
    </div>
  );
}
