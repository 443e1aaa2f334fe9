import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RouteEditor } from "@/components/gateway/route-editor";
import { emptyRoute } from "@/lib/gateway/model/route-model";
import { requirePageActor } from "@/lib/auth/page";
import { gatewayPageEnvironment } from "@/lib/gateway/page-env";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "New route" };

export default async function NewRoutePage({ params }: { params: Promise<{ env: string }> }) {
  const [actor, locale, p] = await Promise.all([requirePageActor(), requestLocale(), params]);
  const env = decodeURIComponent(p.env);
  const { env: view, canWrite } = await gatewayPageEnvironment(actor, env);
  if (!view || view.name !== env || !canWrite) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {translate(locale, "gateway.newRoute")}
        <span className="ml-2 text-base font-normal text-slate-500">· {env}</span>
      </h1>
      <RouteEditor environment={env} initial={emptyRoute()} resourceVersion={null} isNew site={view.labels.site ?? null} />
    </div>
  );
}
