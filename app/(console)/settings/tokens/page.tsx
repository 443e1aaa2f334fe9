import type { Metadata } from "next";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const [, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{translate(locale, "tokens.title")}</h1>
      <Card>
        <TokensPanel />
      </Card>
    </div>
  );
}
