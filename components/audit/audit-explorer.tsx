"use client";

import { useCallback, useState, type FormEvent } from "react";
import { EventDetail } from "@/components/audit/event-detail";
import { EventsTable } from "@/components/audit/events-table";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";
import { streamAuditExport, useVerifyChain } from "@/lib/audit/hooks";

const FIELDS = ["actor", "action", "environment", "namespace", "targetKind", "targetName", "requestId"] as const;
const OUTCOMES = ["succeeded", "failed", "conflict", "denied", "unknown", "partial", "intent"] as const;

function toQuery(form: FormData): string {
  const p = new URLSearchParams();
  for (const f of FIELDS) {
    const v = String(form.get(f) ?? "").trim();
    if (v) p.set(f, v);
  }
  const outcome = String(form.get("outcome") ?? "");
  if (outcome) p.set("outcome", outcome);
  for (const f of ["from", "to"] as const) {
    const v = String(form.get(f) ?? "");
    if (v) p.set(f, new Date(v).toISOString());
  }
  return p.toString();
}

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

/** Filters a link opened the page with (the overview's numbers link here): the API's parameters, from/to as ISO times. */
export type AuditFilters = Partial<Record<(typeof FIELDS)[number] | "outcome" | "from" | "to", string>>;

/** An ISO time as a datetime-local input's value, in the browser's time zone. */
function localInputValue(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function filtersQuery(f: AuditFilters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  return p.toString();
}

export function AuditExplorer({ canExport, canVerify, initialFilters = {} }: { canExport: boolean; canVerify: boolean; initialFilters?: AuditFilters }) {
  const { t } = useI18n();
  const [defaults, setDefaults] = useState<AuditFilters>(initialFilters);
  const [query, setQuery] = useState(() => filtersQuery(initialFilters));
  const [selected, setSelected] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);
  const close = useCallback(() => setSelected(null), []);
  const csvExport = useExport(query, "csv");
  const jsonlExport = useExport(query, "jsonl");
  const verify = useVerifyChain();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSelected(null);
    setQuery(toQuery(new FormData(e.currentTarget)));
  }

  const label = (name: string, text: string, type = "text") => (
    <label className="text-xs text-slate-600 dark:text-slate-300">
      {text}
      <Input
        name={name}
        type={type}
        className="mt-1 w-full"
        autoComplete="off"
        defaultValue={type === "datetime-local" ? localInputValue(defaults[name as keyof AuditFilters]) : defaults[name as keyof AuditFilters]}
      />
    </label>
  );

  return (
    <div className="space-y-4">
      <form key={formKey} onSubmit={onSubmit} aria-label={t("audit.filters")} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-5 dark:border-slate-800 dark:bg-slate-900">
        {label("from", t("audit.from"), "datetime-local")}
        {label("to", t("audit.to"), "datetime-local")}
        {label("actor", t("audit.actor"))}
        {label("action", t("audit.action"))}
        <label className="text-xs text-slate-600 dark:text-slate-300">
          {t("audit.outcome")}
          <Select name="outcome" className="mt-1 w-full" defaultValue={defaults.outcome ?? ""}>
            <option value="">{t("audit.any")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </Select>
        </label>
        {label("environment", t("audit.environment"))}
        {label("namespace", t("audit.namespace"))}
        {label("targetKind", t("audit.targetKind"))}
        {label("targetName", t("audit.targetName"))}
        {label("requestId", t("audit.requestId"))}
        <div className="flex items-end gap-2 sm:col-span-3 lg:col-span-5">
          <Button type="submit">{t("audit.apply")}</Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setDefaults({});
              setFormKey((k) => k + 1);
              setQuery("");
              setSelected(null);
            }}
          >
            {t("audit.reset")}
          </Button>
          <div className="ml-auto flex flex-wrap gap-2">
            {canExport && <ExportButton exp={csvExport} />}
            {canExport && <ExportButton exp={jsonlExport} />}
            {canVerify && (
              <Button type="button" variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="verify-chain">
                {verify.isPending ? t("audit.verifying") : t("audit.verify")}
              </Button>
            )}
          </div>
        </div>
        <div className="flex flex-col items-end gap-1 text-xs sm:col-span-3 lg:col-span-5 empty:hidden" data-testid="audit-toolbar-status">
          <ExportStatus exp={csvExport} />
          <ExportStatus exp={jsonlExport} />
          <VerifyStatus m={verify} />
        </div>
      </form>
      <div className={selected ? "grid gap-4 xl:grid-cols-[minmax(0,1fr)_32rem]" : ""}>
        <div className="rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <EventsTable query={query} onSelect={setSelected} selectedId={selected} />
        </div>
        {selected !== null && <EventDetail id={selected} onClose={close} onSelect={setSelected} />}
      </div>
    </div>
  );
}

type ExportState = { rows: number; size: number; done: boolean; url?: string; name?: string };

/** Streams an export, with rows and bytes as they arrive, then offers the file. */
function useExport(query: string, format: "csv" | "jsonl") {
  const [progress, setProgress] = useState<ExportState | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run() {
    setError(null);
    setProgress({ rows: 0, size: 0, done: false });
    try {
      const file = await streamAuditExport(query, format, (p) => setProgress({ ...p, done: false }));
      setProgress({ rows: file.rows, size: file.size, done: true, url: URL.createObjectURL(file.blob), name: file.name });
    } catch (e) {
      setProgress(null);
      setError(e);
    }
  }
  return { format, progress, error, run };
}

/** The button stays in the toolbar; what it reports goes on its own line below (issue #11). */
function ExportButton({ exp }: { exp: ReturnType<typeof useExport> }) {
  const { t } = useI18n();
  return (
    <Button type="button" variant="secondary" onClick={() => void exp.run()} disabled={exp.progress !== null && !exp.progress.done} data-testid={`export-${exp.format}`}>
      {exp.format === "csv" ? t("audit.exportCsv") : t("audit.exportJsonl")}
    </Button>
  );
}

function ExportStatus({ exp }: { exp: ReturnType<typeof useExport> }) {
  const { t } = useI18n();
  const { progress, error, format } = exp;
  return (
    <>
      {progress && !progress.done && (
        <span role="status" aria-live="polite">
          {t("audit.exporting", { rows: progress.rows, size: bytes(progress.size) })}
        </span>
      )}
      {progress?.done && progress.url && (
        <span role="status" className="flex items-center gap-1">
          {t("audit.exported", { rows: progress.rows, size: bytes(progress.size) })}
          <a href={progress.url} download={progress.name} className="text-sky-700 underline dark:text-sky-400" data-testid={`download-${format}`}>
            {t("audit.download")}
          </a>
        </span>
      )}
      {error !== null && <ErrorState error={error} />}
    </>
  );
}

function VerifyStatus({ m }: { m: ReturnType<typeof useVerifyChain> }) {
  const { t } = useI18n();
  return (
    <>
      {m.data && (
        <span role="status" data-testid="verify-result" className={m.data.ok ? "text-emerald-700 dark:text-emerald-400" : "font-semibold text-red-700"}>
          {m.data.ok
            ? t("audit.verifyOk", { count: m.data.count, head: m.data.headHash.slice(0, 12) })
            : m.data.firstBroken
              ? t("audit.verifyBroken", { id: m.data.firstBroken.id, reason: m.data.firstBroken.reason })
              : t("audit.verifyCheckpoint", { at: m.data.checkpoints.mismatch?.at ?? "?" })}
        </span>
      )}
      {m.isError && <ErrorState error={m.error} />}
    </>
  );
}
