import type { Metadata } from "next";
import { cookies } from "next/headers";
import { MeshList } from "@/components/mesh/mesh-list";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { meshEnvironmentByName, meshPageEnvironment } from "@/lib/mesh/page-env";

export const metadata: Metadata = { title: "Mesh" };

/** `?environment=` picks the environment (when visible; otherwise the header's) — the overview links here. */
export default async function MeshPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [actor, locale, jar, params] = await Promise.all([requirePageActor(), requestLocale(), cookies(), searchParams]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const linked = typeof params.environment === "string" && params.environment ? await meshEnvironmentByName(actor, params.environment) : undefined;
  const { env, canWrite } = linked?.env ? linked : await meshPageEnvironment(actor, decodeURIComponent(jar.get("switchyard.env")?.value ?? ""));
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
