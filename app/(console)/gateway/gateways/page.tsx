import type { Metadata } from "next";
import { cookies } from "next/headers";
import { GatewayPage } from "@/components/gateway/gateway-page";
import { GatewaysList } from "@/components/gateway/gateways-list";
import { requirePageActor } from "@/lib/auth/page";
import { gatewayPageEnvironment } from "@/lib/gateway/page-env";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Gateways" };

export default async function Page() {
  const [actor, locale, jar] = await Promise.all([requirePageActor(), requestLocale(), cookies()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const { env, canWrite } = await gatewayPageEnvironment(actor, decodeURIComponent(jar.get("switchyard.env")?.value ?? ""));
  return (
    <GatewayPage title="gateway.tab.gateways" environment={env?.name} t={t}>
      {env && <GatewaysList key={env.name} environment={env.name} canWrite={canWrite} />}
    </GatewayPage>
  );
}
