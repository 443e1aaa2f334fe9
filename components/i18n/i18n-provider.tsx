"use client";

import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { fill, type Locale } from "@/lib/i18n/format";
import type { MessageKey, Messages } from "@/lib/i18n/messages";

interface I18nValue {
  locale: Locale;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

/**
 * `messages`: this page's language only, from the server (the root layout) — the browser never
 * downloads every area's strings in both languages (lib/i18n/format.ts).
 */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const t = useCallback((key: MessageKey, vars?: Record<string, string | number>) => fill(messages[key] ?? key, vars), [messages]);
  const value = useMemo(() => ({ locale, t }), [locale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}
