import { NotBuilt } from "@/components/shared/not-built";

export const metadata = { title: "Gateway" };

export default function Page() {
  return <NotBuilt title="nav.gateway" body="placeholder.gateway" />;
}
