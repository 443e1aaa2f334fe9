"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useI18n } from "@/components/i18n/i18n-provider";
import { ErrorState, Spinner } from "@/components/ui/states";
import { useAuditActivity } from "@/lib/audit/hooks";

interface Day {
  day: string;
  succeeded: number;
  failed: number;
  denied: number;
}

export function ActivityChart() {
  const { t } = useI18n();
  const q = useAuditActivity<Day>(14);
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className="h-56" data-testid="activity-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={q.data.map((d) => ({ ...d, day: d.day.slice(5) }))} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="succeeded" name={t("outcome.succeeded")} stackId="a" fill="#059669" isAnimationActive={false} />
          <Bar dataKey="failed" name={t("outcome.failed")} stackId="a" fill="#dc2626" isAnimationActive={false} />
          <Bar dataKey="denied" name={t("outcome.denied")} stackId="a" fill="#a21caf" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
