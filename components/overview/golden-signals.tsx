"use client";

import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ChartFrame } from "@/components/overview/chart-frame";
import { RangePicker } from "@/components/overview/range-picker";
import { formatters, PALETTE } from "@/components/overview/format";
import { Card } from "@/components/ui/card";
import { ErrorState, Spinner } from "@/components/ui/states";
import type { GoldenSignals as Signals, SignalView } from "@/lib/overview/golden-signals";
import { useGoldenSignals } from "@/lib/overview/hooks";
import type { Range } from "@/lib/overview/keys";
import type { MessageKey } from "@/lib/i18n/messages";

const SIGNALS = [
  { key: "requestRate", label: "overview.requestRate" },
  { key: "errorRatio", label: "overview.errorRatio" },
  { key: "p50", label: "overview.p50" },
  { key: "p99", label: "overview.p99" },
] as const satisfies ReadonlyArray<{ key: keyof Extract<Signals, { configured: true }>["signals"]; label: MessageKey }>;

type SignalKey = (typeof SIGNALS)[number]["key"];

export interface GoldenSignalsProps {
  environment: string;
  /** One Kubernetes service (destination_service_name); absent = every service. */
  service?: string;
  /** Its namespace (destination_service_namespace). */
  namespace?: string;
  /** Controlled range (the overview page); absent = the component offers its own picker. */
  range?: Range;
  /** Re-read interval in ms; false = no auto-refresh. */
  refetchInterval?: number | false;
}

/**
 * Request rate, 5xx ratio and p50/p99 latency of an environment, a namespace or one service,
 * in total and per zone, with the PromQL of each on hover and a button that copies it.
 * Mountable anywhere: `<GoldenSignals environment="prod" service="orders" namespace="shop" />`
 * (pages without charts should mount GoldenSignalsLazy instead, so Recharts loads on demand).
 */
export function GoldenSignals({ environment, service, namespace, range: controlled, refetchInterval = false }: GoldenSignalsProps) {
  const { t } = useI18n();
  const [own, setOwn] = useState<Range>("1h");
  const range = controlled ?? own;
  const q = useGoldenSignals(environment, range, { service, namespace }, refetchInterval);
  const scope = service ? `${namespace ? `${namespace}/` : ""}${service}` : namespace ?? t("overview.signalsAll");
  const header = (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <div>
        <h2 className="text-sm font-semibold">{t("overview.signals")}</h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {q.data?.configured ? t("overview.signalsScope", { scope, window: q.data.window }) : scope} · {t("overview.signalsHint")}
        </p>
      </div>
      {controlled === undefined && <RangePicker value={range} onChange={setOwn} />}
    </div>
  );
  if (q.isPending) return <Card>{header}<Spinner /></Card>;
  if (q.isError) return <Card>{header}<div className="mt-3"><ErrorState error={q.error} onRetry={() => void q.refetch()} /></div></Card>;
  if (!q.data.configured) {
    return (
      <Card>
        {header}
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-300" data-testid="signals-not-configured">
          {t("overview.noPrometheus")}
        </p>
      </Card>
    );
  }
  const data = q.data;
  return (
    <section className="space-y-3" data-testid="golden-signals">
      <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">{header}</div>
      <div className="grid gap-4 md:grid-cols-2">
        {SIGNALS.map((s) => (
          <SignalChart key={s.key} signal={s.key} title={t(s.label)} view={data.signals[s.key]} stepSeconds={data.step} loading={q.isFetching && !q.data} />
        ))}
      </div>
    </section>
  );
}

function SignalChart({ signal, title, view, stepSeconds, loading }: { signal: SignalKey; title: string; view: SignalView; stepSeconds: number; loading: boolean }) {
  const { t, locale } = useI18n();
  const f = formatters(locale);
  const [copied, setCopied] = useState(false);
  const fmt = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : signal === "requestRate" ? t("overview.unitRps", { value: f.dec(v) }) : signal === "errorRatio" ? f.pct(v) : t("overview.unitMs", { value: f.dec(v) });
  const series = [{ name: t("overview.total"), s: view.total }, ...view.zones.map((z) => ({ name: z.zone, s: z }))];
  const times = [...new Set(series.flatMap((x) => x.s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const rows = times.map((ts) => {
    const row: Record<string, number | null> = { t: ts * 1000 };
    for (const x of series) row[x.name] = x.s.points.find((p) => p[0] === ts)?.[1] ?? null;
    return row;
  });
  const promql = view.zones.length ? `${view.promql}\n\n${view.promqlByZone}` : view.promql;
  const copy = () => {
    void navigator.clipboard?.writeText(promql).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    });
  };
  return (
    <ChartFrame
      title={title}
      hint={
        <span>
          {t("overview.now")}: <strong className="text-slate-900 tabular-nums dark:text-slate-100" data-testid={`signal-${signal}-now`}>{fmt(view.total.now)}</strong>
          {view.zones.map((z) => (
            <span key={z.zone} className="ml-2">
              {z.zone}: <span className="tabular-nums">{fmt(z.now)}</span>
            </span>
          ))}
        </span>
      }
      testId={`signal-${signal}`}
      loading={loading}
      empty={rows.length === 0}
      table={{ columns: [t("overview.time"), ...series.map((x) => x.name)], rows: rows.map((r) => [f.full(r.t!), ...series.map((x) => fmt(r[x.name]))]) }}
      actions={
        <button
          type="button"
          title={promql}
          onClick={copy}
          aria-label={t("overview.copy")}
          data-testid={`signal-${signal}-promql`}
          className="rounded border border-slate-300 px-2 py-0.5 font-mono text-xs text-slate-700 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          {copied ? t("overview.copied") : t("overview.promql")}
        </button>
      }
    >
      <div className="h-52">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={(v: number) => f.tick(v, stepSeconds)} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" />
            <YAxis width={56} tickFormatter={(v: number) => (signal === "errorRatio" ? f.pct(v) : f.dec(v))} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" />
            <Tooltip content={<PointTooltip format={fmt} full={f.full} />} />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {series.map((x, i) => (
              <Line key={x.name} dataKey={x.name} name={x.name} stroke={PALETTE[i % PALETTE.length]} strokeWidth={i === 0 ? 2 : 1.5} dot={false} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}

export function PointTooltip({
  active,
  payload,
  label,
  format,
  full,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ name?: string | number; value?: unknown; color?: string }>;
  label?: string | number;
  format: (v: number) => string;
  full: (ms: number) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100">
      <p className="mb-1 font-medium">{typeof label === "number" ? full(label) : label}</p>
      {payload.map((p) => (
        <p key={String(p.name)} style={{ color: p.color }}>
          {p.name}: {typeof p.value === "number" ? format(p.value) : "—"}
        </p>
      ))}
    </div>
  );
}
