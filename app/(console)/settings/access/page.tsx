import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AccessPanel } from "@/components/access/access-panel";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Access" };

export default async function AccessPage() {
  const [actor, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  if (!decide(actor.grants, "access.read")) notFound();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{translate(locale, "access.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{translate(locale, "access.hint")}</p>
      </div>
      <AccessPanel canAdmin={decide(actor.grants, "access.admin")} selfId={actor.id} />
    </div>
  );
}
