import type { Metadata } from "next";
import { EnvironmentsPanel } from "@/components/environments/environments-panel";
import { requirePageActor } from "@/lib/auth/page";
import { decide } from "@/lib/auth/rbac";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const actor = await requirePageActor();
  return <EnvironmentsPanel canAdmin={decide(actor.grants, "environment.admin")} />;
}
