import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServiceDetail } from "@/components/services/service-detail";
import { ServiceSignals } from "@/components/services/service-signals";
import { DetailPage, routeSegment } from "@/components/ui/detail-page";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { listEnvironments } from "@/lib/environments/environments";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { namespaceFromSegment } from "@/lib/registry/keys";

interface Params {
  env: string;
  namespace: string;
  group: string;
  service: string;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: routeSegment((await params).service) };
}

/**
 * One service's own page: `/services/<env>/<namespace>/<group>/<service>` (the public
 * namespace is `public`), linkable and bookmarkable; the list's rows link here. It follows the
 * URL, not the header's environment. An environment the actor cannot see is a 404 (the API
 * decides the service read itself, docs/security.md §14).
 */
export default async function ServicePage({ params }: { params: Promise<Params> }) {
  const [actor, locale, raw] = await Promise.all([requirePageActor(), requestLocale(), params]);
  const t = (k: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(locale, k, vars);
  const p = { env: routeSegment(raw.env), namespace: namespaceFromSegment(routeSegment(raw.namespace)), group: routeSegment(raw.group), service: routeSegment(raw.service) };
  const env = (await listEnvironments(actor)).find((e) => e.name === p.env);
  if (!env?.registry) notFound();
  const scope = { environment: { name: env.name, labels: env.labels }, namespace: p.namespace || "public" };
  return (
    <DetailPage
      back={{ href: "/services", label: t("svc.backToList"), testId: "back-to-services" }}
      title={p.service}
      titleTestId="service-title"
      where={t("svc.where", { environment: env.name, namespace: p.namespace || t("svc.publicNs"), group: p.group })}
    >
      {/* Golden signals (overview area), loaded only when opened: the bundle budget holds. */}
      <ServiceSignals environment={env.name} service={p.service} />
      <ServiceDetail
        environment={env.name}
        namespace={p.namespace}
        group={p.group}
        service={p.service}
        canWrite={decide(actor.grants, "service.instance.write", scope)}
        registry={env.registry.kind === "zookeeper" ? "zookeeper" : "nacos"}
      />
    </DetailPage>
  );
}
