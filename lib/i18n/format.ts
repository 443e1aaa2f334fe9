/**
 * The dictionary-free half of i18n, safe for the browser bundle: locales and filling `{name}`
 * placeholders. The dictionaries (lib/i18n/messages.ts, every area's strings in both
 * languages) stay on the server; the page hands the client only its own language's strings
 * (components/providers.tsx), which keeps first-load JavaScript within its budget (issue #11).
 */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(v: unknown): v is Locale {
  return v === "en" || v === "zh-CN";
}

/** Replaces `{name}` with vars.name; unknown placeholders stay as written. */
export function fill(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
