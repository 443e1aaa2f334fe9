"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { rememberedCookie } from "@/components/shell/preferences";
import { HeaderSelect } from "@/components/ui/dropdown";
import { useEnvironments } from "@/lib/environments/hooks";

/** The environment pages act on: the ones in the user's scope; the choice is remembered. */
export function EnvironmentSwitch() {
  const { t } = useI18n();
  const router = useRouter();
  const envs = useEnvironments({ retry: false });
  const [current, setCurrent] = useState<string>("");
  useEffect(() => {
    // The remembered choice is a browser cookie, known only once mounted.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setCurrent(decodeURIComponent(rememberedCookie("switchyard.env") ?? ""));
  }, []);
  const list = envs.data ?? [];
  const value = list.some((e) => e.name === current) ? current : (list[0]?.name ?? "");
  return (
    <HeaderSelect
      label={t("header.environment")}
      showLabel
      data-testid="environment-switch"
      disabled={list.length === 0}
      value={value}
      onChange={(e) => {
        setCurrent(e.target.value);
        document.cookie = `switchyard.env=${encodeURIComponent(e.target.value)}; Path=/; Max-Age=31536000; SameSite=Lax`;
        router.refresh();
      }}
    >
      {list.length === 0 && <option value="">{t("header.noEnvironments")}</option>}
      {list.map((e) => (
        <option key={e.name} value={e.name}>
          {e.name}
          {Object.keys(e.labels).length ? ` (${Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}
        </option>
      ))}
    </HeaderSelect>
  );
}
