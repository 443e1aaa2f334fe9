"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useI18n } from "@/components/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";

const ITEMS: Array<{ href: string; key: MessageKey; icon: string }> = [
  { href: "/overview", key: "nav.overview", icon: "M3 12l9-9 9 9M5 10v10h14V10" },
  { href: "/services", key: "nav.services", icon: "M4 6h16M4 12h16M4 18h16" },
  { href: "/configs", key: "nav.configs", icon: "M12 8a4 4 0 100 8 4 4 0 000-8zM4 12h2m12 0h2M12 4v2m0 12v2" },
  { href: "/mesh", key: "nav.mesh", icon: "M6 6h.01M18 6h.01M12 18h.01M6 6l6 12 6-12" },
  { href: "/gateway", key: "nav.gateway", icon: "M4 20V8l8-4 8 4v12M9 20v-6h6v6" },
  { href: "/audit", key: "nav.audit", icon: "M9 12l2 2 4-4M12 3l7 4v5c0 4-3 7-7 9-4-2-7-5-7-9V7z" },
  { href: "/settings", key: "nav.settings", icon: "M12 15a3 3 0 100-6 3 3 0 000 6zM19 12h2M3 12h2M12 3v2M12 19v2" },
];

export function Sidebar() {
  const { t } = useI18n();
  const pathname = usePathname();
  return (
    <nav aria-label={t("nav.main")} className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
        <span aria-hidden className="grid h-7 w-7 place-items-center rounded bg-sky-700 text-sm font-bold text-white">
          S
        </span>
        <span className="font-semibold">{t("app.name")}</span>
      </div>
      <ul className="flex-1 space-y-0.5 p-2">
        {ITEMS.map((item) => {
          const active = pathname === item.href || pathname.startsWith(item.href + "/");
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm ${
                  active
                    ? "bg-sky-50 font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-200"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
                  <path d={item.icon} strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                {t(item.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
