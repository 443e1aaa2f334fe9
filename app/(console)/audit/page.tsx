import type { Metadata } from "next";
import { EventsTable } from "@/components/audit/events-table";
import { Card } from "@/components/ui/card";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const locale = await requestLocale();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{translate(locale, "audit.title")}</h1>
      <Card hint={translate(locale, "audit.hint")}>
        <EventsTable />
      </Card>
    </div>
  );
}
