import type { Metadata } from "next";
import { cookies } from "next/headers";
import { GatewayPage } from "@/components/gateway/gateway-page";
import { RoutesList } from "@/components/gateway/routes-list";
import { requirePageActor } from "@/lib/auth/page";
import { gatewayPageEnvironment } from "@/lib/gateway/page-env";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Gateway routes" };

/** `?environment=` picks the environment (when visible; otherwise the header's) — the overview links here. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [actor, locale, jar, params] = await Promise.all([requirePageActor(), requestLocale(), cookies(), searchParams]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const linked = typeof params.environment === "string" && params.environment ? await gatewayPageEnvironment(actor, params.environment) : undefined;
  const { env, canWrite } = linked?.env && linked.env.name === params.environment ? linked : await gatewayPageEnvironment(actor, decodeURIComponent(jar.get("switchyard.env")?.value ?? ""));
  return (
    <GatewayPage title="gateway.tab.routes" environment={env?.name} t={t}>
      {env && <RoutesList key={env.name} environment={env.name} canWrite={canWrite} />}
    </GatewayPage>
  );
}
