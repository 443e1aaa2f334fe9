import type { Locale } from "@/lib/i18n/messages";

/** Number and date formatting in the reader's language (en, zh-CN). */
export function formatters(locale: Locale) {
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  const day = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
  const dayTime = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
  const zone = new Intl.DateTimeFormat(locale, { timeZoneName: "short" });
  return {
    int: (n: number) => int.format(n),
    dec: (n: number) => dec.format(n),
    pct: (n: number) => pct.format(n),
    /** A chart tick: time of day for short ranges, the day for a week. */
    tick: (ms: number, stepSeconds: number) => (stepSeconds >= 86_400 ? day.format(ms) : stepSeconds >= 3_600 ? dayTime.format(ms) : time.format(ms)),
    full: (ms: number) => full.format(ms),
    /** The local time zone's name, for the hover text of times. */
    zoneName: (ms: number) => zone.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "",
    /** "3 h 5 min" style durations, from milliseconds. */
    age: (ms: number) => {
      const m = Math.max(0, Math.round(ms / 60_000));
      const d = Math.floor(m / 1440);
      const h = Math.floor((m % 1440) / 60);
      const u = new Intl.NumberFormat(locale, { style: "unit", unit: d > 0 ? "day" : h > 0 ? "hour" : "minute", unitDisplay: "short" });
      return d > 0 ? u.format(d) : h > 0 ? u.format(h) : u.format(m % 60);
    },
  };
}

/** Colours of zones and series, readable on white and on slate-900. */
export const PALETTE = ["#0284c7", "#d97706", "#7c3aed", "#059669", "#db2777", "#64748b"];
