import type { Metadata } from "next";
import { cookies } from "next/headers";
import { MeshList } from "@/components/mesh/mesh-list";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { meshPageEnvironment } from "@/lib/mesh/page-env";

export const metadata: Metadata = { title: "Mesh" };

export default async function MeshPage() {
  const [actor, locale, jar] = await Promise.all([requirePageActor(), requestLocale(), cookies()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const { env, canWrite } = await meshPageEnvironment(actor, decodeURIComponent(jar.get("switchyard.env")?.value ?? ""));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {t("mesh.title")}
        {env && <span className="ml-2 text-base font-normal text-slate-500">· {env.name}</span>}
      </h1>
      {!env ? (
        <Card>
          <p className="text-sm">{t("mesh.pickEnv")}</p>
        </Card>
      ) : (
        <>
          {!canWrite && <p className="text-xs text-slate-500">{t("mesh.readOnly")}</p>}
          <MeshList key={env.name} environment={env.name} canWrite={canWrite} />
        </>
      )}
    </div>
  );
}
