"use client";

import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { WeightBar } from "@/components/gateway/status-badges";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { QueryStates } from "@/components/ui/states";
import { useRouteMap } from "@/lib/gateway/hooks";
import { routePagePath } from "@/lib/gateway/keys";

/** Routes shown per gateway before "show more": the map stays responsive at 1,000 routes. */
const PAGE = 100;

/**
 * Where traffic goes now, per gateway: hostnames → matches → backends with their share of the
 * rule and the zones drained. Searchable (server-side); each gateway folds; long gateways render
 * a page of routes at a time.
 */
export function RouteMap({ environment }: { environment: string }) {
  const { t } = useI18n();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const map = useRouteMap(environment, deferred);
  const [shown, setShown] = useState<Record<string, number>>({});

  return (
    <div className="space-y-4">
      <label className="block text-sm">
        <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.map.search")}</span>
        <Input value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("gateway.searchHint")} className="w-80" data-testid="map-search" />
      </label>
      <QueryStates query={map} isEmpty={(d) => !d.gateways.length} empty={t("gateway.map.empty")}>
        {(d) => (
          d.gateways.map((g) => {
            const limit = shown[g.gateway] ?? PAGE;
            return (
              <details key={g.gateway} open className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="map-gateway">
                <summary className="cursor-pointer px-4 py-2 text-sm font-semibold">
                  {t("gateway.map.gateway", { gateway: g.gateway, count: g.routes.length })}
                </summary>
                <ul className="divide-y divide-slate-100 border-t border-slate-200 dark:divide-slate-800 dark:border-slate-800">
                  {g.routes.slice(0, limit).map((r) => (
                    <li key={`${r.type}/${r.namespace}/${r.name}`} className="grid grid-cols-1 gap-2 px-4 py-2 text-xs md:grid-cols-[14rem_1fr]" data-testid="map-route" data-route={r.name}>
                      <div>
                        <div className="font-mono text-sm">{r.hostnames.join(", ")}</div>
                        <div className="text-slate-500 dark:text-slate-400">
                          {r.type === "HTTPRoute" ? (
                            <Link className="underline-offset-2 hover:underline" href={routePagePath(environment, r.namespace, r.name)}>
                              {r.type} {r.namespace}/{r.name}
                            </Link>
                          ) : (
                            `${r.type} ${r.namespace}/${r.name}`
                          )}
                        </div>
                        {r.canary && <div className="text-violet-800 dark:text-violet-300">{t("gateway.canary.badge", { percent: r.canary.percent })}</div>}
                      </div>
                      <div className="space-y-1">
                        {r.rules.map((rule, i) => {
                          const total = rule.backends.reduce((s, b) => s + b.weight, 0);
                          return (
                            <div key={i} className="flex flex-wrap items-start gap-3">
                              <span className="min-w-40 font-mono">{rule.matches.join(" | ")}</span>
                              <span aria-hidden>→</span>
                              <div className="space-y-0.5">
                                {rule.backends.map((b) => (
                                  <div key={b.name} className={`flex items-center gap-2 ${b.weight === 0 ? "opacity-60" : ""}`}>
                                    <span className="font-mono" title={b.name}>{b.label ?? b.name}</span>
                                    <WeightBar weight={b.weight} total={total} drained={b.weight === 0} />
                                  </div>
                                ))}
                                {!rule.backends.length && <span className="text-slate-500">{t("gateway.map.noBackends")}</span>}
                              </div>
                            </div>
                          );
                        })}
                        {r.drained.length > 0 && <div className="text-amber-800 dark:text-amber-300">{t("gateway.map.drained", { zones: r.drained.join(", ") })}</div>}
                      </div>
                    </li>
                  ))}
                </ul>
                {g.routes.length > limit && (
                  <div className="border-t border-slate-200 px-4 py-2 dark:border-slate-800">
                    <Button variant="secondary" onClick={() => setShown({ ...shown, [g.gateway]: limit + PAGE })}>
                      {t("gateway.map.more", { count: g.routes.length - limit })}
                    </Button>
                  </div>
                )}
              </details>
            );
          })
        )}
      </QueryStates>
    </div>
  );
}
