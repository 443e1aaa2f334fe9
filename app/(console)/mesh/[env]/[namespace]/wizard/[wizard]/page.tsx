import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MeshWizard } from "@/components/mesh/wizard";
import { requirePageActor } from "@/lib/auth/page";
import type { MessageKey } from "@/lib/i18n/messages";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";
import { meshPaths } from "@/lib/mesh/keys";
import { WIZARDS, type WizardId } from "@/lib/mesh/model/wizards";
import { meshEnvironmentByName } from "@/lib/mesh/page-env";

export const metadata: Metadata = { title: "Mesh wizard" };

export default async function Page({ params, searchParams }: { params: Promise<{ env: string; namespace: string; wizard: string }>; searchParams: Promise<{ name?: string }> }) {
  const [p, q, actor, locale] = await Promise.all([params, searchParams, requirePageActor(), requestLocale()]);
  const env = decodeURIComponent(p.env);
  const namespace = decodeURIComponent(p.namespace);
  const wizard = decodeURIComponent(p.wizard);
  if (!(WIZARDS as readonly string[]).includes(wizard)) notFound();
  const { env: e, canWrite } = await meshEnvironmentByName(actor, env);
  if (!e || !canWrite) notFound();
  const registryNamespace = e.registry ? (e.registry.kind === "nacos" ? (e.registry.namespaces[0] ?? "") : "") : null;
  return (
    <div className="space-y-3">
      <Link href={meshPaths.list(namespace)} className="text-sm text-sky-800 hover:underline dark:text-sky-300">
        {translate(locale, "mesh.back")}
      </Link>
      <h1 className="text-xl font-semibold">
        {translate(locale, `mesh.wizard.${wizard}` as MessageKey)}
        <span className="ml-2 text-base font-normal text-slate-500">
          · {e.name} / {namespace}
        </span>
      </h1>
      <MeshWizard environment={e.name} namespace={namespace} wizard={wizard as WizardId} name={q.name ?? ""} registryNamespace={registryNamespace} />
    </div>
  );
}
