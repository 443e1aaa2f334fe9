import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfigPage } from "@/components/configs/config-page";
import { DetailPage, routeSegment } from "@/components/ui/detail-page";
import { requirePageActor } from "@/lib/auth/page";
import { namespaceFromSegment } from "@/lib/configs/keys";
import { configEnvironments, configRights } from "@/lib/configs/page-access";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

interface Params {
  env: string;
  namespace: string;
  group: string;
  dataId: string;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: routeSegment((await params).dataId) };
}

/**
 * One config's own page: `/configs/<env>/<namespace>/<group>/<dataId>` (the public namespace is
 * `public`), linkable; it follows the URL, not the header's environment. Out of scope → 404.
 */
export default async function ConfigRoute({ params }: { params: Promise<Params> }) {
  const [actor, locale, raw] = await Promise.all([requirePageActor(), requestLocale(), params]);
  const t = (k: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(locale, k, vars);
  const p = { env: routeSegment(raw.env), namespace: namespaceFromSegment(routeSegment(raw.namespace)), group: routeSegment(raw.group), dataId: routeSegment(raw.dataId) };
  const visible = await configEnvironments(actor);
  const env = visible.find((e) => e.name === p.env);
  if (!env) notFound();
  const rights = configRights(actor, env, p.namespace);
  if (!rights.canRead) notFound();
  return (
    <DetailPage
      back={{ href: `/configs?namespace=${encodeURIComponent(p.namespace || "public")}`, label: t("configs.backToList"), testId: "back-to-configs" }}
      title={p.dataId}
      titleTestId="config-title"
      where={t("configs.where", { environment: env.name, namespace: p.namespace || t("configs.publicNs"), group: p.group })}
    >
      <ConfigPage environment={env.name} namespace={p.namespace} group={p.group} dataId={p.dataId} canPublish={rights.canPublish} canGray={rights.canGray} environments={visible.map((e) => e.name)} />
    </DetailPage>
  );
}
