import { NotBuilt } from "@/components/shared/not-built";

export const metadata = { title: "Mesh" };

export default function Page() {
  return <NotBuilt title="nav.mesh" body="placeholder.mesh" />;
}
