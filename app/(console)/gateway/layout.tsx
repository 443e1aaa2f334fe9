import type { ReactNode } from "react";
import { Tabs } from "@/components/ui/tabs";

/** Gateway → Routes, Route map, Gateways, Registries. */
export default function GatewayLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-4">
      <Tabs
        label="gateway.tabs"
        exact={["/gateway"]}
        items={[
          { href: "/gateway", label: "gateway.tab.routes", testId: "gateway-tab-routes" },
          { href: "/gateway/map", label: "gateway.tab.map", testId: "gateway-tab-map" },
          { href: "/gateway/gateways", label: "gateway.tab.gateways", testId: "gateway-tab-gateways" },
          { href: "/gateway/registries", label: "gateway.tab.registries", testId: "gateway-tab-registries" },
        ]}
      />
      {children}
    </div>
  );
}
