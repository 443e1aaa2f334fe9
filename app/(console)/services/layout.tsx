import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { Tabs } from "@/components/ui/tabs";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";
import { listEnvironments } from "@/lib/environments/environments";

/** Services → Services, Zones, Znodes (the last only for a ZooKeeper environment, as before). */
export default async function ServicesLayout({ children }: { children: ReactNode }) {
  const [actor, jar] = await Promise.all([requirePageActor(), cookies()]);
  // The environment the Services page shows: the header's choice, else the first registry.
  const visible = (await listEnvironments(actor)).filter((e) => e.registry?.kind === "nacos" || e.registry?.kind === "zookeeper");
  const chosen = decodeURIComponent(jar.get("switchyard.env")?.value ?? "");
  const env = visible.find((e) => e.name === chosen) ?? visible[0];
  const znodes = env?.registry?.kind === "zookeeper" && decide(actor.grants, "registry.znode.read", { environment: { name: env.name, labels: env.labels }, namespace: "public" });
  return (
    <div className="space-y-4">
      <Tabs
        label="svc.tabs"
        items={[
          { href: "/services", label: "nav.services", testId: "services-tab" },
          { href: "/services/zones", label: "zones.title", testId: "zones-link" },
          { href: "/services/znodes", label: "svc.tab.znodes", testId: "znodes-link", show: Boolean(znodes) },
        ]}
      />
      {children}
    </div>
  );
}
