import { NotBuilt } from "@/components/shared/not-built";

export const metadata = { title: "Configs" };

export default function Page() {
  return <NotBuilt title="nav.configs" body="placeholder.configs" />;
}
