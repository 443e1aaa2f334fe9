import type { Metadata } from "next";
import { AuditExplorer, type AuditFilters } from "@/components/audit/audit-explorer";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Audit" };

const FILTER_KEYS = ["actor", "action", "environment", "namespace", "targetKind", "targetName", "requestId", "outcome", "from", "to"] as const;

/** `/audit?action=…&outcome=…&from=…` opens the list filtered (the overview's numbers link here). */
function filtersFrom(params: Record<string, string | string[] | undefined>): AuditFilters {
  const f: AuditFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params[k];
    if (typeof v === "string" && v.length > 0 && v.length <= 256) f[k] = v;
  }
  return f;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [actor, locale, params] = await Promise.all([requirePageActor(), requestLocale(), searchParams]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{translate(locale, "audit.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{translate(locale, "audit.hint")}</p>
      </div>
      <AuditExplorer canExport={decide(actor.grants, "audit.export")} canVerify={decide(actor.grants, "audit.verify")} initialFilters={filtersFrom(params)} />
    </div>
  );
}
