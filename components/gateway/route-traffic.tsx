"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { IssueList } from "@/components/gateway/status-badges";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { ErrorState } from "@/components/ui/states";
import { useTraffic, type TrafficAnswer } from "@/lib/gateway/hooks";
import { canaryStepsProblem, canaryWeights, DEFAULT_CANARY_STEPS, drainWeights, nextCanaryStep, percentages, previousCanaryStep, restoreWeights, siteBackendLabels, type Weights } from "@/lib/gateway/model/traffic";
import type { RouteDetailView } from "@/lib/gateway/views";

type Pending = { title: string; label: string; body: Record<string, unknown>; before: Weights; after: Weights; warn?: string };

const weightsText = (w: Weights, labels: Record<string, string> = {}) => {
  const p = percentages(w);
  return Object.entries(w)
    .map(([k, v]) => `${labels[k] ?? k}: ${v} (${p[k]}%)`)
    .join("\n");
};

function ruleWeights(route: RouteDetailView, rule: number): Weights {
  return Object.fromEntries((route.model.rules[rule]?.backends ?? []).map((b) => [b.name, b.weight]));
}

/**
 * Where this route's traffic goes now and the two controls that move it: drain / restore a zone
 * of a site backend (weights per zone, health per zone from the registries) and a canary that
 * steps the rule's weights (0 → 10 → 25 → 50 → 100, back one step, an optional hold time).
 * Each action shows the weights before and after and is confirmed; each is one audited write.
 */
export function RouteTraffic({ environment, route }: { environment: string; route: RouteDetailView }) {
  const { t } = useI18n();
  const ns = route.model.namespace;
  const name = route.model.name;
  const traffic = useTraffic(environment, ns, name);
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<TrafficAnswer | null>(null);
  const state = route.state;
  const drainedZones = new Set(state.drained.map((d) => d.zone));

  function askDrain(zone: string, restore: boolean) {
    const before: Weights = {};
    const after: Weights = {};
    let warn: string | undefined;
    for (const sb of route.siteBackends) {
      const hosts = state.siteBackends.find((s) => s.rule === sb.rule && s.site === sb.site && s.service === sb.service)?.zones ?? {};
      if (!Object.hasOwn(hosts, zone)) continue;
      const w = ruleWeights(route, sb.rule);
      const byZone = Object.fromEntries(Object.entries(hosts).map(([z, h]) => [z, w[h] ?? 0]));
      try {
        const rec = state.drained.find((d) => d.rule === sb.rule && d.zone === zone);
        const next = restore ? (rec ? restoreWeights(byZone, rec) : byZone) : drainWeights(byZone, zone);
        for (const [z, h] of Object.entries(hosts)) {
          before[`${sb.service} @ ${z}`] = byZone[z]!;
          after[`${sb.service} @ ${z}`] = next[z]!;
          const health = sb.zones.find((x) => x.zone === z)?.health;
          if (next[z]! > 0 && health && health.healthy === 0) warn = t("gateway.traffic.noHealthyWarn", { zone: z });
          void h;
        }
      } catch (e) {
        warn = e instanceof Error ? e.message : String(e);
      }
    }
    setPending({ title: restore ? t("gateway.traffic.restoreTitle", { zone }) : t("gateway.traffic.drainTitle", { zone }), label: restore ? t("gateway.traffic.restore") : t("gateway.traffic.drain"), body: { action: restore ? "restore" : "drain", zone }, before, after, warn });
  }

  function askCanary(step: "next" | "back" | "stop" | "start", start?: { rule: number; stable: string[]; canary: string[]; steps: number[]; holdSeconds: number }) {
    const plan = start ? { ...start, step: 0 } : state.canary!;
    const before = ruleWeights(route, plan.rule);
    const excluded = new Set(state.drained.filter((d) => d.rule === plan.rule).flatMap((d) => state.siteBackends.filter((s) => s.rule === d.rule && s.site === d.site).map((s) => s.zones[d.zone]!)));
    let after = before;
    if (step === "next" || step === "back") {
      const d = step === "next" ? nextCanaryStep(state.canary!, new Date()) : previousCanaryStep(state.canary!);
      if (d.ok) after = canaryWeights(before, plan, d.percent, excluded);
    }
    const titles = { next: t("gateway.canary.nextTitle"), back: t("gateway.canary.backTitle"), stop: t("gateway.canary.stopTitle"), start: t("gateway.canary.startTitle") };
    setPending({ title: titles[step], label: titles[step], body: { action: "canary", step, ...(start ?? {}) }, before, after });
  }

  return (
    <div className="space-y-4">
      {done && (
        <Banner tone="success" data-testid="traffic-done">
          {t("gateway.traffic.done", { revision: done.revision ?? "—" })}
          {done.warnings.length > 0 && <IssueList issues={done.warnings} />}
        </Banner>
      )}
      {route.siteBackends.length > 0 && (
        <Card title={t("gateway.traffic.zones")} hint={t("gateway.traffic.zonesHint")}>
          {route.siteBackends.map((sb) => {
            const w = ruleWeights(route, sb.rule);
            const hosts = state.siteBackends.find((s) => s.rule === sb.rule && s.site === sb.site && s.service === sb.service)?.zones ?? {};
            const total = Object.values(hosts).reduce((s, h) => s + (w[h] ?? 0), 0);
            return (
              <div key={`${sb.rule}/${sb.site}/${sb.service}`} className="mb-3">
                <p className="mb-1 text-sm font-medium">{t("gateway.traffic.siteBackend", { service: sb.service, site: sb.site, rule: sb.rule + 1 })}</p>
                <table className="w-full text-sm" data-testid="zone-table">
                  <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
                    <tr>
                      <th className="py-1">{t("gateway.traffic.zone")}</th>
                      <th>{t("gateway.traffic.host")}</th>
                      <th>{t("gateway.traffic.instances")}</th>
                      <th>{t("gateway.editor.weight")}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {sb.zones.map((z) => {
                      const weight = w[z.host] ?? 0;
                      const drained = drainedZones.has(z.zone);
                      return (
                        <tr key={z.zone} className="border-t border-slate-100 dark:border-slate-800" data-testid="zone-row" data-zone={z.zone}>
                          <td className="py-1 font-medium">
                            {z.zone} {drained && <span className="ml-1 rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">{t("gateway.traffic.drained")}</span>}
                          </td>
                          <td className="font-mono text-xs">{z.host}</td>
                          <td className={z.health && z.health.healthy === 0 ? "text-red-700 dark:text-red-300" : ""} data-testid="zone-health">
                            {z.health ? t("gateway.health", { healthy: z.health.healthy, total: z.health.total }) : t("gateway.healthUnknown")}
                          </td>
                          <td className="tabular-nums" data-testid="zone-weight">
                            {weight} ({total > 0 ? Math.round((1000 * weight) / total) / 10 : 0}%)
                          </td>
                          <td className="text-right">
                            {route.canWrite &&
                              (drained ? (
                                <Button variant="secondary" onClick={() => askDrain(z.zone, true)} data-testid={`restore-${z.zone}`}>
                                  {t("gateway.traffic.restore")}
                                </Button>
                              ) : (
                                <Button variant="danger" onClick={() => askDrain(z.zone, false)} disabled={weight === 0} data-testid={`drain-${z.zone}`}>
                                  {t("gateway.traffic.drain")}
                                </Button>
                              ))}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          })}
        </Card>
      )}
      <CanaryCard route={route} onAsk={askCanary} />
      {pending && (
        <ConfirmDialog
          title={pending.title}
          before={weightsText(pending.before, siteBackendLabels(state))}
          after={weightsText(pending.after, siteBackendLabels(state))}
          confirmLabel={pending.label}
          pending={traffic.isPending}
          error={traffic.error ? <ErrorState error={traffic.error} /> : undefined}
          onCancel={() => {
            setPending(null);
            traffic.reset();
          }}
          onConfirm={() =>
            traffic.mutate(
              { ...pending.body, resourceVersion: route.resourceVersion },
              {
                onSuccess: (r) => {
                  setPending(null);
                  setDone(r);
                },
              },
            )
          }
        >
          {pending.warn && <p className="text-amber-800 dark:text-amber-300" data-testid="traffic-warning">{pending.warn}</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}

function CanaryCard({ route, onAsk }: { route: RouteDetailView; onAsk: (step: "next" | "back" | "stop" | "start", start?: { rule: number; stable: string[]; canary: string[]; steps: number[]; holdSeconds: number }) => void }) {
  const { t, locale } = useI18n();
  const plan = route.state.canary;
  const labels = siteBackendLabels(route.state);
  const [rule, setRule] = useState(0);
  const backends = route.model.rules[rule]?.backends ?? [];
  const [canary, setCanary] = useState<string[]>([]);
  const [steps, setSteps] = useState(DEFAULT_CANARY_STEPS.join(", "));
  const [hold, setHold] = useState("0");
  const stepList = steps.split(",").map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : Number.NaN));
  const stepsProblem = stepList.some(Number.isNaN) ? t("gateway.canary.stepsInvalid") : canaryStepsProblem(stepList);
  const holdOk = /^\d+$/.test(hold.trim());
  const stable = backends.map((b) => b.name).filter((n) => !canary.includes(n));

  if (plan) {
    const next = nextCanaryStep(plan, new Date());
    const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
    return (
      <Card title={t("gateway.canary.title")} hint={t("gateway.canary.hint", { rule: plan.rule + 1 })}>
        <ol className="mb-3 flex flex-wrap gap-2" aria-label={t("gateway.canary.steps")} data-testid="canary-steps">
          {plan.steps.map((s, i) => (
            <li key={i} aria-current={i === plan.step ? "step" : undefined} className={`rounded-full px-3 py-1 text-sm tabular-nums ${i === plan.step ? "bg-violet-700 text-white" : i < plan.step ? "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}>
              {s}%
            </li>
          ))}
        </ol>
        <p className="mb-2 text-sm">
          {t("gateway.canary.sides", { stable: plan.stable.map((n) => labels[n] ?? n).join(", "), canary: plan.canary.map((n) => labels[n] ?? n).join(", ") })}
        </p>
        {!next.ok && next.reason === "hold" && next.allowedAt && <p className="mb-2 text-sm text-amber-800 dark:text-amber-300">{t("gateway.canary.held", { at: fmt.format(new Date(next.allowedAt)) })}</p>}
        {route.canWrite && (
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => onAsk("next")} disabled={!next.ok} data-testid="canary-next">
              {t("gateway.canary.next")}
            </Button>
            <Button variant="secondary" onClick={() => onAsk("back")} disabled={plan.step === 0} data-testid="canary-back">
              {t("gateway.canary.back")}
            </Button>
            <Button variant="ghost" onClick={() => onAsk("stop")}>
              {t("gateway.canary.stop")}
            </Button>
          </div>
        )}
      </Card>
    );
  }
  if (!route.canWrite) return null;
  return (
    <Card title={t("gateway.canary.title")} hint={t("gateway.canary.startHint")}>
      <div className="space-y-3 text-sm" data-testid="canary-start-form">
        {route.model.rules.length > 1 && (
          <label className="block">
            <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.canary.rule")}</span>
            <select className="rounded border px-2 py-1 dark:bg-slate-900" value={rule} onChange={(e) => { setRule(Number(e.target.value)); setCanary([]); }}>
              {route.model.rules.map((_, i) => (
                <option key={i} value={i}>
                  {t("gateway.editor.rule", { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset>
          <legend className="mb-1 text-xs text-slate-600 dark:text-slate-400">{t("gateway.canary.pick")}</legend>
          {backends.map((b) => (
            <label key={b.name} className="mr-4 inline-flex items-center gap-1">
              <input type="checkbox" checked={canary.includes(b.name)} onChange={(e) => setCanary(e.target.checked ? [...canary, b.name] : canary.filter((n) => n !== b.name))} data-testid={`canary-pick-${b.name}`} />
              <span className="font-mono text-xs" title={b.name}>{labels[b.name] ?? b.name}</span>
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap gap-3">
          <label>
            <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.canary.steps")}</span>
            <Input value={steps} onChange={(e) => setSteps(e.target.value)} aria-invalid={Boolean(stepsProblem)} />
          </label>
          <label>
            <span className="mb-1 block text-xs text-slate-600 dark:text-slate-400">{t("gateway.canary.hold")}</span>
            <Input value={hold} onChange={(e) => setHold(e.target.value)} inputMode="numeric" aria-invalid={!holdOk} className="w-28" />
          </label>
        </div>
        {stepsProblem && <p className="text-xs text-red-700 dark:text-red-300">{stepsProblem}</p>}
        {!holdOk && <p className="text-xs text-red-700 dark:text-red-300">{t("gateway.canary.holdInvalid")}</p>}
        <Button disabled={!canary.length || !stable.length || Boolean(stepsProblem) || !holdOk} onClick={() => onAsk("start", { rule, stable, canary, steps: stepList, holdSeconds: Number(hold) })} data-testid="canary-start">
          {t("gateway.canary.start")}
        </Button>
      </div>
    </Card>
  );
}
