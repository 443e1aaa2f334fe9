"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ChartFrame, DataTable } from "@/components/overview/chart-frame";
import { formatters, PALETTE } from "@/components/overview/format";
import { GoldenSignals, PointTooltip } from "@/components/overview/golden-signals";
import { RangePicker } from "@/components/overview/range-picker";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { EmptyState } from "@/components/ui/states";
import { useOverview } from "@/lib/overview/hooks";
import { auditListHref, gatewayRoutesHref, meshListHref, VALIDATION_AREAS, type OverviewScope, type Range, type ValidationArea } from "@/lib/overview/keys";
import type { ChangeKind, OverviewView } from "@/lib/overview/overview";
import type { MessageKey } from "@/lib/i18n/messages";

const REFRESH_MS = 30_000;

export interface ScopeChoice {
  environments: Array<{ name: string; prometheus: boolean }>;
  sites: string[];
}

const CHANGE_SERIES: Array<{ key: ChangeKind; label: MessageKey; action: string }> = [
  { key: "configPublish", label: "overview.configPublish", action: "config.publish" },
  { key: "grayRelease", label: "overview.grayRelease", action: "config.gray.*" },
  { key: "mesh", label: "overview.meshChange", action: "mesh.*" },
  { key: "gateway", label: "overview.gatewayChange", action: "gateway.*" },
];

function scopeParam(s: OverviewScope): string {
  return "environment" in s ? `environment:${s.environment}` : `site:${s.site}`;
}

/** A number that opens the list it counts. */
function CountLink({ href, value, testId, onClick }: { href: string; value: ReactNode; testId?: string; onClick?: () => void }) {
  const { t } = useI18n();
  return (
    <Link href={href} onClick={onClick} title={t("overview.openList")} data-testid={testId} className="tabular-nums text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-300">
      {value}
    </Link>
  );
}

/** The services page reads the remembered environment: remember the zone's before opening it. */
function rememberEnvironment(name: string | undefined) {
  if (name) document.cookie = `switchyard.env=${encodeURIComponent(name)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/**
 * The overview of one environment or one site: what is registered and healthy per zone now and
 * over time, the golden signals, what changed, who did what, what failed or was refused, and
 * what is half-released. Time range, auto-refresh with "last updated", light and dark.
 */
export function OverviewDashboard({ choice, initial, initialRange }: { choice: ScopeChoice; initial: OverviewScope | null; initialRange: Range }) {
  const { t, locale } = useI18n();
  const f = formatters(locale);
  const router = useRouter();
  const pathname = usePathname();
  const [scope, setScope] = useState<OverviewScope | null>(initial);
  const [range, setRange] = useState<Range>(initialRange);
  const [auto, setAuto] = useState(true);

  function go(next: OverviewScope | null, nextRange: Range) {
    setScope(next);
    setRange(nextRange);
    const p = new URLSearchParams();
    if (next) p.set("environment" in next ? "environment" : "site", "environment" in next ? next.environment : next.site);
    p.set("range", nextRange);
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  }

  if (!scope) {
    return (
      <Card>
        <p className="text-sm" data-testid="overview-no-scope">
          {t("overview.noScope")}
        </p>
      </Card>
    );
  }
  return <Dashboard key={scopeParam(scope)} scope={scope} range={range} auto={auto} setAuto={setAuto} choice={choice} onScope={(s) => go(s, range)} onRange={(r) => go(scope, r)} f={f} />;
}

function Dashboard({
  scope,
  range,
  auto,
  setAuto,
  choice,
  onScope,
  onRange,
  f,
}: {
  scope: OverviewScope;
  range: Range;
  auto: boolean;
  setAuto: (v: boolean) => void;
  choice: ScopeChoice;
  onScope: (s: OverviewScope) => void;
  onRange: (r: Range) => void;
  f: ReturnType<typeof formatters>;
}) {
  const { t } = useI18n();
  const q = useOverview(scope, range, auto ? REFRESH_MS : false);
  const env = "environment" in scope ? choice.environments.find((e) => e.name === scope.environment) : undefined;
  const updated = q.dataUpdatedAt ? new Date(q.dataUpdatedAt) : null;
  const v = q.data;
  const loading = q.isPending;
  const common = { loading, error: q.error ?? undefined, onRetry: () => void q.refetch() };

  return (
    <div className="space-y-4" data-testid="overview-dashboard">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <label className="flex items-center gap-2 text-sm">
          <span className="text-slate-500 dark:text-slate-400">{t("overview.scope")}</span>
          <Select
            data-testid="overview-scope"
            value={scopeParam(scope)}
            onChange={(e) => {
              const [kind, ...rest] = e.target.value.split(":");
              const name = rest.join(":");
              onScope(kind === "site" ? { site: name } : { environment: name });
            }}
          >
            {choice.environments.map((e) => (
              <option key={e.name} value={`environment:${e.name}`}>
                {t("overview.scopeEnvironment", { name: e.name })}
              </option>
            ))}
            {choice.sites.map((s) => (
              <option key={s} value={`site:${s}`}>
                {t("overview.scopeSite", { name: s })}
              </option>
            ))}
          </Select>
        </label>
        <RangePicker value={range} onChange={onRange} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} data-testid="overview-auto-refresh" className="h-4 w-4" />
          {t("overview.autoRefresh")}
        </label>
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="overview-last-updated" aria-live="polite" title={updated ? f.zoneName(updated.getTime()) : undefined}>
          {updated ? t("overview.lastUpdated", { time: f.full(updated.getTime()) }) : ""}
        </span>
        <Button variant="secondary" className="ml-auto px-2 py-1 text-xs" onClick={() => void q.refetch()} data-testid="overview-refresh">
          {t("overview.refresh")}
        </Button>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <InstancesNow v={v} {...common} f={f} />
        <InstancesHistory v={v} {...common} f={f} />
      </div>

      {env && (env.prometheus ? <GoldenSignals environment={env.name} range={range} refetchInterval={auto ? REFRESH_MS : false} /> : <Card title={t("overview.signals")}><p className="text-sm text-slate-600 dark:text-slate-300" data-testid="signals-not-configured">{t("overview.noPrometheus")}</p></Card>)}

      <div className="grid gap-4 lg:grid-cols-2">
        <Changes v={v} {...common} f={f} />
        <Problems v={v} {...common} f={f} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ByAction v={v} {...common} f={f} />
        <TopActors v={v} {...common} f={f} />
      </div>
      <GrayReleases v={v} {...common} f={f} />
      <ValidationNow v={v} {...common} f={f} />
      <ValidationHistory v={v} {...common} f={f} />
    </div>
  );
}

interface PartProps {
  v: OverviewView | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  f: ReturnType<typeof formatters>;
}

function axisProps(f: PartProps["f"], step: number) {
  return {
    x: { dataKey: "t", type: "number" as const, scale: "time" as const, domain: ["dataMin", "dataMax"] as [string, string], tickFormatter: (v: number) => f.tick(v, step), tick: { fill: "currentColor", fontSize: 11 }, stroke: "currentColor" },
    y: { allowDecimals: false, width: 44, tickFormatter: (v: number) => f.int(v), tick: { fill: "currentColor", fontSize: 11 }, stroke: "currentColor" },
  };
}

function InstancesNow({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const zones = v?.instances.now ?? [];
  const cols = ["services", "instances", "healthy", "unhealthy", "disabled"] as const;
  const link = (env: string | undefined, k: (typeof cols)[number]) => {
    const p = new URLSearchParams();
    if (env) p.set("environment", env);
    if (k === "unhealthy") p.set("unhealthy", "true");
    const q = p.toString();
    return q ? `/services?${q}` : "/services";
  };
  return (
    <Card title={t("overview.instancesNow")} hint={v ? (v.sampledAt ? t("overview.sampledAt", { time: f.full(Date.parse(v.sampledAt)) }) : t("overview.neverSampled")) : undefined}>
      <div data-testid="overview-instances-now" data-state={loading ? "loading" : error ? "error" : zones.length ? "ready" : "empty"}>
        {loading ? (
          <ChartFrameless loading />
        ) : error ? (
          <ChartFrameless error={error} onRetry={onRetry} />
        ) : zones.length === 0 ? (
          <EmptyState>{t("overview.neverSampled")}</EmptyState>
        ) : (
          <DataTable
            caption={t("overview.instancesNow")}
            data={{
              columns: [t("overview.zone"), ...cols.map((c) => t(`overview.${c}`))],
              rows: zones.map((z) => [
                <span key="z" title={z.environments.join(", ")}>{z.zone}</span>,
                ...cols.map((c) => <CountLink key={c} href={link(z.environments[0], c)} onClick={() => rememberEnvironment(z.environments[0])} value={f.int(z[c])} testId={`now-${z.zone}-${c}`} />),
              ]),
            }}
          />
        )}
      </div>
    </Card>
  );
}

/** Loading and error without a chart around them (tables that are their own fallback). */
function ChartFrameless({ loading, error, onRetry }: { loading?: boolean; error?: unknown; onRetry?: () => void }) {
  return loading ? (
    <ChartFrame title="" testId="_" loading empty={false} table={{ columns: [], rows: [] }}>
      {null}
    </ChartFrame>
  ) : (
    <ChartFrame title="" testId="_" loading={false} error={error} onRetry={onRetry} empty={false} table={{ columns: [], rows: [] }}>
      {null}
    </ChartFrame>
  );
}

function InstancesHistory({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const history = v?.instances.history ?? [];
  const times = [...new Set(history.flatMap((z) => z.points.map((p) => p.t)))].sort();
  const rows = times.map((ts) => {
    const r: Record<string, number | null> = { t: Date.parse(ts) };
    for (const z of history) {
      const p = z.points.find((x) => x.t === ts);
      r[`${z.zone}`] = p ? p.instances : null;
      r[`${z.zone} · ${t("overview.unhealthy")}`] = p ? p.unhealthy : null;
    }
    return r;
  });
  const ax = axisProps(f, v?.stepSeconds ?? 60);
  return (
    <ChartFrame
      title={t("overview.instancesHistory")}
      testId="overview-instances-history"
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={rows.length === 0}
      table={{
        columns: [t("overview.time"), ...history.flatMap((z) => [`${z.zone} · ${t("overview.instances")}`, `${z.zone} · ${t("overview.unhealthy")}`])],
        rows: rows.map((r) => [f.full(r.t!), ...history.flatMap((z) => [f.int(r[z.zone] ?? 0), f.int(r[`${z.zone} · ${t("overview.unhealthy")}`] ?? 0)])]),
      }}
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
            <XAxis {...ax.x} />
            <YAxis {...ax.y} />
            <Tooltip content={<PointTooltip format={f.int} full={f.full} />} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {history.map((z, i) => (
              <Line key={z.zone} dataKey={z.zone} name={`${z.zone} · ${t("overview.instances")}`} stroke={PALETTE[i % PALETTE.length]} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            ))}
            {history.map((z, i) => (
              <Line key={`${z.zone}-u`} dataKey={`${z.zone} · ${t("overview.unhealthy")}`} stroke={PALETTE[i % PALETTE.length]} strokeDasharray="4 3" dot={false} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}

function Changes({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const rows = (v?.changes ?? []).map((c) => ({ ...c, t: Date.parse(c.t) }));
  const any = rows.some((r) => CHANGE_SERIES.some((s) => r[s.key] > 0));
  const step = v?.stepSeconds ?? 3600;
  const ax = axisProps(f, step);
  const env = v?.scope.environment;
  return (
    <ChartFrame
      title={t("overview.changes")}
      hint={t("overview.changesHint", { step: t(`overview.step.${step}` as MessageKey) })}
      testId="overview-changes"
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={!any}
      table={{
        columns: [t("overview.time"), ...CHANGE_SERIES.map((s) => t(s.label))],
        rows: rows
          .filter((r) => CHANGE_SERIES.some((s) => r[s.key] > 0))
          .map((r) => [
            f.full(r.t),
            ...CHANGE_SERIES.map((s) => (
              <CountLink key={s.key} href={auditListHref({ action: s.action, outcome: "succeeded", environment: env, from: new Date(r.t).toISOString() })} value={f.int(r[s.key])} />
            )),
          ]),
      }}
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
            <XAxis {...ax.x} padding={{ left: 12, right: 12 }} />
            <YAxis {...ax.y} />
            <Tooltip content={<PointTooltip format={f.int} full={f.full} />} cursor={{ fillOpacity: 0.1 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {CHANGE_SERIES.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={t(s.label)} stackId="c" fill={PALETTE[i]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}

function HorizontalBars({ rows, color, f }: { rows: Array<{ name: string; count: number }>; color: string; f: PartProps["f"] }) {
  return (
    <div style={{ height: Math.max(120, rows.length * 26 + 24) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} horizontal={false} />
          <XAxis type="number" allowDecimals={false} tickFormatter={(n: number) => f.int(n)} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" />
          <YAxis type="category" dataKey="name" width={150} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" />
          <Tooltip content={<PointTooltip format={f.int} full={f.full} />} cursor={{ fillOpacity: 0.1 }} />
          <Bar dataKey="count" fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function ByAction({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const rows = (v?.byAction ?? []).map((a) => ({ name: a.action, count: a.count }));
  const from = v?.from;
  const env = v?.scope.environment;
  return (
    <ChartFrame
      title={t("overview.byAction")}
      hint={v?.auditScope === "own" ? t("overview.ownOnly") : undefined}
      testId="overview-by-action"
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={rows.length === 0}
      table={{ columns: [t("overview.action"), t("overview.count")], rows: rows.map((r) => [r.name, <CountLink key="c" href={auditListHref({ action: r.name, environment: env, from })} value={f.int(r.count)} />]) }}
    >
      <HorizontalBars rows={rows} color={PALETTE[0]!} f={f} />
    </ChartFrame>
  );
}

function TopActors({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const rows = (v?.topActors ?? []).map((a) => ({ name: a.actor, count: a.count }));
  const from = v?.from;
  const env = v?.scope.environment;
  return (
    <ChartFrame
      title={t("overview.topActors")}
      hint={v?.auditScope === "own" ? t("overview.ownOnly") : undefined}
      testId="overview-top-actors"
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={rows.length === 0}
      table={{ columns: [t("overview.actor"), t("overview.count")], rows: rows.map((r) => [r.name, <CountLink key="c" href={auditListHref({ actor: r.name, environment: env, from })} value={f.int(r.count)} />]) }}
    >
      <HorizontalBars rows={rows} color={PALETTE[2]!} f={f} />
    </ChartFrame>
  );
}

function Problems({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const env = v?.scope.environment;
  const from = v ? new Date(Date.parse(v.to) - 86_400_000).toISOString() : undefined;
  return (
    <Card title={t("overview.problems")} hint={v?.auditScope === "own" ? t("overview.ownOnly") : undefined}>
      <div data-testid="overview-problems" data-state={loading ? "loading" : error ? "error" : "ready"}>
        {loading || error ? (
          <ChartFrameless loading={loading} error={error} onRetry={onRetry} />
        ) : (
          <>
            <div className="mb-3 flex gap-6 text-sm">
              <span>
                {t("overview.failed")}: <CountLink href={auditListHref({ outcome: "failed", environment: env, from })} value={<strong className="text-lg text-red-700 dark:text-red-400">{f.int(v!.problems.failed)}</strong>} testId="problems-failed" />
              </span>
              <span>
                {t("overview.denied")}: <CountLink href={auditListHref({ outcome: "denied", environment: env, from })} value={<strong className="text-lg text-fuchsia-700 dark:text-fuchsia-400">{f.int(v!.problems.denied)}</strong>} testId="problems-denied" />
              </span>
            </div>
            {v!.problems.recent.length === 0 ? (
              <EmptyState>{t("overview.noProblems")}</EmptyState>
            ) : (
              <DataTable
                caption={t("overview.problems")}
                data={{
                  columns: [t("overview.time"), t("overview.action"), t("overview.actor"), t("overview.outcome")],
                  rows: v!.problems.recent.map((p) => [
                    <span key="t" title={f.zoneName(Date.parse(p.at))}>{f.full(Date.parse(p.at))}</span>,
                    <span key="a" className="font-mono text-xs">{p.action}</span>,
                    p.actor,
                    <span key="o" className={p.outcome === "denied" ? "text-fuchsia-700 dark:text-fuchsia-400" : "text-red-700 dark:text-red-400"}>{t(`audit.outcome.${p.outcome}` as MessageKey)}</span>,
                  ]),
                }}
              />
            )}
          </>
        )}
      </div>
    </Card>
  );
}

function GrayReleases({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const g = v?.grayReleases;
  const now = v ? Date.parse(v.to) : 0;
  return (
    <Card title={t("overview.gray")}>
      <div data-testid="overview-gray" data-state={loading ? "loading" : error ? "error" : g?.available ? (g.items.length ? "ready" : "empty") : "unavailable"}>
        {loading || error ? (
          <ChartFrameless loading={loading} error={error} onRetry={onRetry} />
        ) : !g!.available ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("overview.grayUnavailable")}</p>
        ) : g!.items.length === 0 ? (
          <EmptyState>{t("overview.noGray")}</EmptyState>
        ) : (
          <DataTable
            caption={t("overview.gray")}
            data={{
              columns: [t("overview.config"), t("overview.age"), t("overview.progress"), t("overview.deadline")],
              rows: g!.items.map((x) => [
                <Link key="c" href={`/configs?environment=${encodeURIComponent(x.environment)}`} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-300">
                  {x.environment}/{x.namespace || "public"}/{x.group}/{x.dataId}
                </Link>,
                f.age(now - Date.parse(x.createdAt)),
                x.ofInstances ? (
                  <span key="p" className="inline-flex items-center gap-2">
                    <span className="h-1.5 w-16 overflow-hidden rounded bg-slate-200 dark:bg-slate-700" aria-hidden>
                      <span className="block h-full bg-amber-500" style={{ width: `${Math.min(100, (100 * x.grayInstances) / x.ofInstances)}%` }} />
                    </span>
                    {t("overview.grayOf", { count: f.int(x.grayInstances), total: f.int(x.ofInstances) })}
                  </span>
                ) : (
                  t("overview.grayInstances", { count: f.int(x.grayInstances) })
                ),
                x.deadline ? f.full(Date.parse(x.deadline)) : t("overview.noDeadline"),
              ]),
            }}
          />
        )}
      </div>
    </Card>
  );
}

const AREA_LABEL: Record<ValidationArea, MessageKey> = { mesh: "overview.validationMesh", gateway: "overview.validationGateway" };

/** The list behind a count: the mesh list, or the gateway's routes, of a namespace, filtered by badge. */
function validationHref(area: ValidationArea, environment: string, namespace: string | undefined, badge: "error" | "warning"): string {
  return area === "mesh" ? meshListHref({ environment, namespace, badge }) : gatewayRoutesHref({ environment, namespace, issues: badge });
}

/** Per environment and area: objects with errors and with warnings now, each number opening the list filtered to them. */
function ValidationNow({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const now = v?.validation.now ?? [];
  const count = (area: ValidationArea, env: string, value: number | null, badge: "error" | "warning", namespace: string | undefined, testId: string) =>
    value === null ? (
      <span key={badge} className="text-amber-700 dark:text-amber-400" title={t("overview.validationUnknownHint")} data-testid={testId}>
        {t("overview.validationUnknown")}
      </span>
    ) : (
      <CountLink key={badge} href={validationHref(area, env, namespace, badge)} onClick={() => rememberEnvironment(env)} value={f.int(value)} testId={testId} />
    );
  return (
    <Card title={t("overview.validation")} hint={t("overview.validationHint")}>
      <div data-testid="overview-validation" data-state={loading ? "loading" : error ? "error" : now.length ? "ready" : "empty"}>
        {loading || error ? (
          <ChartFrameless loading={loading} error={error} onRetry={onRetry} />
        ) : now.length === 0 ? (
          <EmptyState>{t("overview.validationNoKube")}</EmptyState>
        ) : (
          <DataTable
            caption={t("overview.validation")}
            data={{
              columns: [t("overview.environment"), t("overview.validationArea"), t("overview.validationErrors"), t("overview.validationWarnings"), t("overview.validationNamespaces")],
              rows: now.flatMap((e) =>
                VALIDATION_AREAS.map((area) => {
                  const a = e[area];
                  const id = `validation-${area}-${e.environment}`;
                  return [
                    <span key="e" title={a.sampledAt ? t("overview.sampledAt", { time: f.full(Date.parse(a.sampledAt)) }) : undefined}>
                      {e.environment}
                      {e.zone !== e.environment && <span className="ml-1 text-xs text-slate-500 dark:text-slate-400">· {e.zone}</span>}
                    </span>,
                    t(AREA_LABEL[area]),
                    a.sampledAt === null ? (
                      <span key="n" className="text-slate-500 dark:text-slate-400">{t("overview.validationNotSampled")}</span>
                    ) : (
                      count(area, e.environment, a.errors, "error", a.namespaces.find((n) => n.errors > 0)?.namespace, `${id}-errors`)
                    ),
                    a.sampledAt === null ? "" : count(area, e.environment, a.warnings, "warning", a.namespaces.find((n) => n.warnings > 0)?.namespace, `${id}-warnings`),
                    a.namespaces.length === 0 ? (
                      <span key="ns" className="text-slate-500 dark:text-slate-400">{a.sampledAt && a.errors !== null ? t("overview.validationClean") : ""}</span>
                    ) : (
                      <span key="ns" className="flex flex-wrap gap-x-3 gap-y-1">
                        {a.namespaces.slice(0, 8).map((n) => (
                          <span key={n.namespace} className="whitespace-nowrap font-mono text-xs">
                            {n.namespace}:{" "}
                            <CountLink
                              href={validationHref(area, e.environment, n.namespace, n.errors > 0 ? "error" : "warning")}
                              onClick={() => rememberEnvironment(e.environment)}
                              value={n.errors > 0 ? f.int(n.errors) : t("overview.validationWarningsOnly", { count: f.int(n.warnings) })}
                              testId={`${id}-ns-${n.namespace}`}
                            />
                          </span>
                        ))}
                      </span>
                    ),
                  ];
                }),
              ),
            }}
          />
        )}
      </div>
    </Card>
  );
}

/** Objects with errors per environment and area over the chosen range (the newest sample of each step). */
function ValidationHistory({ v, loading, error, onRetry, f }: PartProps) {
  const { t } = useI18n();
  const history = (v?.validation.history ?? []).map((h) => ({ ...h, key: `${h.environment} · ${t(AREA_LABEL[h.area])}` }));
  const times = [...new Set(history.flatMap((h) => h.points.map((p) => p.t)))].sort();
  const rows = times.map((ts) => {
    const r: Record<string, number | null> = { t: Date.parse(ts) };
    for (const h of history) r[h.key] = h.points.find((p) => p.t === ts)?.errors ?? null;
    return r;
  });
  const ax = axisProps(f, v?.stepSeconds ?? 60);
  return (
    <ChartFrame
      title={t("overview.validationHistory")}
      testId="overview-validation-history"
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={rows.length === 0}
      table={{
        columns: [t("overview.time"), ...history.map((h) => h.key)],
        rows: rows.map((r) => [f.full(r.t!), ...history.map((h) => (r[h.key] === null ? t("overview.validationUnknown") : f.int(r[h.key]!)))]),
      }}
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
            <XAxis {...ax.x} />
            <YAxis {...ax.y} />
            <Tooltip content={<PointTooltip format={f.int} full={f.full} />} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {history.map((h, i) => (
              <Line key={h.key} dataKey={h.key} name={h.key} stroke={PALETTE[(i + 3) % PALETTE.length]} strokeDasharray={h.area === "gateway" ? "4 3" : undefined} strokeWidth={2} dot={rows.length < 3} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}
