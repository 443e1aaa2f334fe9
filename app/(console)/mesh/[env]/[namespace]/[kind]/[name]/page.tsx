import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MeshDetail } from "@/components/mesh/mesh-detail";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { meshPaths } from "@/lib/mesh/keys";
import { isMeshKind } from "@/lib/mesh/model/kinds";
import { meshEnvironmentByName } from "@/lib/mesh/page-env";

export const metadata: Metadata = { title: "Mesh policy" };

export default async function Page({ params }: { params: Promise<{ env: string; namespace: string; kind: string; name: string }> }) {
  const p = await params;
  const [actor, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  const [env, namespace, kind, name] = [p.env, p.namespace, p.kind, p.name].map(decodeURIComponent) as [string, string, string, string];
  if (!isMeshKind(kind)) notFound();
  const { env: e, canWrite } = await meshEnvironmentByName(actor, env);
  if (!e) notFound();
  return (
    <div className="space-y-3">
      <Link href={meshPaths.list(namespace)} className="text-sm text-sky-800 hover:underline dark:text-sky-300">
        {translate(locale, "mesh.back")}
      </Link>
      <MeshDetail environment={e.name} namespace={namespace} kind={kind} name={name} canWrite={canWrite} />
    </div>
  );
}
