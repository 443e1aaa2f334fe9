import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RouteDetail } from "@/components/gateway/route-detail";
import { requirePageActor } from "@/lib/auth/page";
import { gatewayPageEnvironment } from "@/lib/gateway/page-env";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Route" };

export default async function RoutePage({ params, searchParams }: { params: Promise<{ env: string; namespace: string; name: string }>; searchParams: Promise<{ edit?: string }> }) {
  const [actor, locale, p, q] = await Promise.all([requirePageActor(), requestLocale(), params, searchParams]);
  const env = decodeURIComponent(p.env);
  const { env: view, canRead } = await gatewayPageEnvironment(actor, env);
  if (!view || view.name !== env || !canRead) notFound();
  const namespace = decodeURIComponent(p.namespace);
  const name = decodeURIComponent(p.name);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {translate(locale, "gateway.route.title")} <span className="font-mono">{namespace}/{name}</span>
        <span className="ml-2 text-base font-normal text-slate-500">· {env}</span>
      </h1>
      <RouteDetail environment={env} namespace={namespace} name={name} site={view.labels.site ?? null} initialEditing={q.edit === "1"} />
    </div>
  );
}
