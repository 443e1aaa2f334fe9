import type { Metadata } from "next";
import Link from "next/link";
import { ZonesView } from "@/components/services/zones-view";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { listSites } from "@/lib/registry/zones";

export const metadata: Metadata = { title: "Zones" };

export default async function ZonesPage() {
  const [actor, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const sites = await listSites(actor);
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs">
          <Link href="/services" className="text-sky-700 hover:underline dark:text-sky-400">
            ← {t("svc.title")}
          </Link>
        </p>
        <h1 className="text-xl font-semibold">{t("zones.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("zones.hint")}</p>
      </div>
      <ZonesView sites={sites} />
    </div>
  );
}
