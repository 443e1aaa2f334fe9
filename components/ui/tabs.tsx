"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { KeyboardEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";

export interface TabLink {
  href: string;
  label: MessageKey;
  testId?: string;
  /** Hidden when false — unless it is the page being shown. */
  show?: boolean;
}

/**
 * A row of tabs that are links to routes: Tab reaches them, arrow keys, Home and End move
 * between them, Enter opens one; the current route's tab carries aria-current="page". A tab is
 * active on its route and, unless `exact`, below it.
 */
export function Tabs({ label, items, exact = [] }: { label: MessageKey; items: TabLink[]; exact?: string[] }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const matches = (href: string) => pathname === href || (!exact.includes(href) && pathname.startsWith(href + "/"));
  // The most specific tab wins: /services/zones is Zones, /services/<env>/… (a service) is Services.
  const current = items.filter((i) => matches(i.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const isActive = (href: string) => href === current;
  const visible = items.filter((i) => i.show !== false || isActive(i.href));

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>("a")];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: links.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    links[(next + links.length) % links.length]?.focus();
  }

  return (
    <nav aria-label={t(label)} onKeyDown={onKeyDown} className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {visible.map((item) => {
          const active = isActive(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                data-testid={item.testId}
                className={`inline-block whitespace-nowrap rounded-t-md border-b-2 px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
                  active
                    ? "border-sky-700 font-medium text-sky-800 dark:border-sky-400 dark:text-sky-200"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:border-slate-600 dark:hover:text-slate-100"
                }`}
              >
                {t(item.label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
