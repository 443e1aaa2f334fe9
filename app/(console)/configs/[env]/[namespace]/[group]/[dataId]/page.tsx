import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConfigPage } from "@/components/configs/config-page";
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

function segment(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: segment((await params).dataId) };
}

/**
 * One config's own page: `/configs/<env>/<namespace>/<group>/<dataId>` (the public namespace is
 * `public`), linkable; it follows the URL, not the header's environment. Out of scope → 404.
 */
export default async function ConfigRoute({ params }: { params: Promise<Params> }) {
  const [actor, locale, raw] = await Promise.all([requirePageActor(), requestLocale(), params]);
  const t = (k: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(locale, k, vars);
  const p = { env: segment(raw.env), namespace: namespaceFromSegment(segment(raw.namespace)), group: segment(raw.group), dataId: segment(raw.dataId) };
  const visible = await configEnvironments(actor);
  const env = visible.find((e) => e.name === p.env);
  if (!env) notFound();
  const rights = configRights(actor, env, p.namespace);
  if (!rights.canRead) notFound();
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href={`/configs?namespace=${encodeURIComponent(p.namespace || "public")}`} className="text-sky-700 hover:underline dark:text-sky-300" data-testid="back-to-configs">
          ← {t("configs.backToList")}
        </Link>
      </p>
      <div>
        <h1 className="break-all text-xl font-semibold" data-testid="config-title">
          {p.dataId}
        </h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("configs.where", { environment: env.name, namespace: p.namespace || t("configs.publicNs"), group: p.group })}</p>
      </div>
      <ConfigPage environment={env.name} namespace={p.namespace} group={p.group} dataId={p.dataId} canPublish={rights.canPublish} canGray={rights.canGray} environments={visible.map((e) => e.name)} />
    </div>
  );
}
