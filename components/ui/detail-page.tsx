import Link from "next/link";
import type { ReactNode } from "react";

/**
 * A route segment as a name: segments arrive decoded; decoding again is a no-op for names (they
 * hold no `%`) and tolerant of raw ones.
 */
export function routeSegment(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * The frame of one resource's own page (a service, a config): a link back to its list, the
 * resource's name as the heading, where it lives, then the page's body.
 */
export function DetailPage({
  back,
  title,
  titleTestId,
  where,
  children,
}: {
  back: { href: string; label: string; testId: string };
  title: string;
  titleTestId: string;
  /** Environment, namespace and group, in words. */
  where: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href={back.href} className="text-sky-700 hover:underline dark:text-sky-300" data-testid={back.testId}>
          ← {back.label}
        </Link>
      </p>
      <div>
        <h1 className="break-all text-xl font-semibold" data-testid={titleTestId}>
          {title}
        </h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{where}</p>
      </div>
      {children}
    </div>
  );
}
