import type { Metadata } from "next";
import { cookies } from "next/headers";
import { ZnodeBrowser } from "@/components/services/znode-browser";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { listEnvironments } from "@/lib/environments/environments";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "ZooKeeper znodes" };

export default async function ZnodesPage() {
  const [actor, locale, jar] = await Promise.all([requirePageActor(), requestLocale(), cookies()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  // The header's environment, as everywhere (issue #11: this page used to switch silently to the
  // first ZooKeeper environment); when it has no ZooKeeper registry, the page says so.
  const visible = await listEnvironments(actor);
  const chosen = decodeURIComponent(jar.get("switchyard.env")?.value ?? "");
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  // The API decides too; this only spares people a page of 403s.
  const mayRead = env && decide(actor.grants, "registry.znode.read", { environment: { name: env.name, labels: env.labels }, namespace: "public" });
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        {t("zk.title")}
        {env && <span className="ml-2 text-base font-normal text-slate-500">· {env.name}</span>}
      </h1>
      {!env || env.registry?.kind !== "zookeeper" ? (
        <Card>
          <p className="text-sm" data-testid="znodes-not-zookeeper">
            {env ? translate(locale, "zk.notZookeeper", { environment: env.name, registry: env.registry?.kind === "nacos" ? "Nacos" : t("zk.noRegistry") }) : t("zk.pickEnv")}
          </p>
        </Card>
      ) : !mayRead ? (
        <Card>
          <p className="text-sm">{t("zk.noAccess")}</p>
        </Card>
      ) : (
        <ZnodeBrowser key={env.name} environment={env.name} root={env.registry.root} canWrite={decide(actor.grants, "registry.znode.write")} />
      )}
    </div>
  );
}
