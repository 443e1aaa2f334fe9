import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NewConfig } from "@/components/configs/new-config";
import { Banner } from "@/components/ui/banner";
import { requirePageActor } from "@/lib/auth/page";
import { configEnvironments, configRights } from "@/lib/configs/page-access";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "New config" };

/** A new config in `?environment=&namespace=`; only for those who may publish there. */
export default async function NewConfigPage({ searchParams }: { searchParams: Promise<{ environment?: string; namespace?: string }> }) {
  const [actor, locale, sp] = await Promise.all([requirePageActor(), requestLocale(), searchParams]);
  const t = (k: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(locale, k, vars);
  const env = (await configEnvironments(actor)).find((e) => e.name === sp.environment);
  const namespace = typeof sp.namespace === "string" && /^[A-Za-z0-9_-]{0,128}$/.test(sp.namespace) ? (sp.namespace === "public" ? "" : sp.namespace) : "";
  if (!env) notFound();
  const rights = configRights(actor, env, namespace);
  if (!rights.canRead) notFound();
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href="/configs" className="text-sky-700 hover:underline dark:text-sky-300">
          ← {t("configs.backToList")}
        </Link>
      </p>
      <h1 className="text-xl font-semibold">{t("configs.newTitle", { environment: env.name, namespace: namespace || t("configs.publicNs") })}</h1>
      {rights.canPublish ? <NewConfig environment={env.name} namespace={namespace} /> : <Banner tone="warning">{t("configs.noPublish")}</Banner>}
    </div>
  );
}
