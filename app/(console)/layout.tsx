import type { ReactNode } from "react";
import { Header } from "@/components/shell/header";
import { NoAccess } from "@/components/shell/no-access";
import { Sidebar } from "@/components/shell/sidebar";
import { noAccessView } from "@/lib/access/no-access";
import { requirePageActor } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const noAccess = actor.grants.length === 0 ? await noAccessView(actor) : null;
  const user = {
    username: actor.username,
    displayName: actor.displayName,
    source: actor.source,
    grants: actor.grants.map(({ role, environmentSelector, namespacePattern }) => ({ role, environmentSelector, namespacePattern })),
  };
  return (
    <div className="flex min-h-screen">
      {/* No role: no sidebar of pages that would all refuse (issue #11). */}
      {noAccess === null && <Sidebar />}
      <div className="flex min-w-0 flex-1 flex-col">
        <Header user={user} />
        <main className="flex-1 p-6">{noAccess !== null ? <NoAccess view={noAccess} /> : children}</main>
      </div>
    </div>
  );
}
