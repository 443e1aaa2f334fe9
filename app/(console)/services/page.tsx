import { NotBuilt } from "@/components/shared/not-built";

export const metadata = { title: "Services" };

export default function Page() {
  return <NotBuilt title="nav.services" body="placeholder.services" />;
}
