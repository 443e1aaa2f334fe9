import type { Metadata } from "next";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const [actor, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{translate(locale, "audit.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{translate(locale, "audit.hint")}</p>
      </div>
      <AuditExplorer canExport={decide(actor.grants, "audit.export")} canVerify={decide(actor.grants, "audit.verify")} />
    </div>
  );
}
