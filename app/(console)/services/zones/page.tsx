import type { Metadata } from "next";
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
        <h1 className="text-xl font-semibold">{t("zones.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("zones.hint")}</p>
      </div>
      <ZonesView sites={sites} />
    </div>
  );
}
