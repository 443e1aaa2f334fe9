import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import type { MessageKey } from "@/lib/i18n/messages";

/** The heading of a gateway page with the environment it shows, or a note when there is none. */
export function GatewayPage({ title, environment, t, children }: { title: MessageKey; environment: string | undefined; t: (k: MessageKey) => string; children: ReactNode }) {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {t(title)}
        {environment && <span className="ml-2 text-base font-normal text-slate-500">· {environment}</span>}
      </h1>
      {environment ? (
        children
      ) : (
        <Card>
          <p className="text-sm">{t("gateway.pickEnv")}</p>
        </Card>
      )}
    </div>
  );
}
