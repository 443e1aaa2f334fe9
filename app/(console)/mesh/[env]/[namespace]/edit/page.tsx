import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MeshYamlEditor } from "@/components/mesh/yaml-editor";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { meshPaths } from "@/lib/mesh/keys";
import { isMeshKind, MESH_KIND_NAMES } from "@/lib/mesh/model/kinds";
import { meshEnvironmentByName } from "@/lib/mesh/page-env";

export const metadata: Metadata = { title: "Mesh YAML editor" };

export default async function Page({ params, searchParams }: { params: Promise<{ env: string; namespace: string }>; searchParams: Promise<{ kind?: string; name?: string }> }) {
  const [p, q, actor, locale] = await Promise.all([params, searchParams, requirePageActor(), requestLocale()]);
  const env = decodeURIComponent(p.env);
  const namespace = decodeURIComponent(p.namespace);
  const { env: e, canWrite } = await meshEnvironmentByName(actor, env);
  if (!e || !canWrite) notFound();
  const kind = q.kind && isMeshKind(q.kind) ? q.kind : undefined;
  const name = kind ? q.name : undefined;
  return (
    <div className="space-y-3">
      <Link href={meshPaths.list(namespace)} className="text-sm text-sky-800 hover:underline dark:text-sky-300">
        {translate(locale, "mesh.back")}
      </Link>
      <h1 className="text-xl font-semibold">
        {kind && name ? translate(locale, "mesh.editor.title.edit", { kind: MESH_KIND_NAMES[kind], name }) : translate(locale, "mesh.editor.title.new")}
        <span className="ml-2 text-base font-normal text-slate-500">
          · {e.name} / {namespace}
        </span>
      </h1>
      <MeshYamlEditor environment={e.name} namespace={namespace} kind={kind} name={name} />
    </div>
  );
}
