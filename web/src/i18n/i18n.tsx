/**
 * Arabic (right to left, the default) and English. Each area of the app keeps its own messages next
 * to its pages (`defineMessages(en, ar)`: the Arabic must have every English key, which the type
 * checker enforces); `useT(messages)` picks the current language. The choice is kept in localStorage;
 * until a user makes one, a school's own locale decides.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'ar' | 'en';
export type Messages<K extends string = string> = { en: Record<K, string>; ar: Record<K, string> };

const LANG_KEY = 'manassa.lang';

export function defineMessages<K extends string>(en: Record<K, string>, ar: Record<K, string>): Messages<K> {
  return { en, ar };
}

interface LangState {
  lang: Lang;
  /** An explicit choice of the user's: kept across visits. */
  choose(lang: Lang): void;
  /** The school's or user's locale: applied only when the user never chose. */
  suggest(lang: Lang): void;
}

const LangContext = createContext<LangState>({ lang: 'ar', choose: () => undefined, suggest: () => undefined });

const stored = (): Lang | null => {
  const v = localStorage.getItem(LANG_KEY);
  return v === 'ar' || v === 'en' ? v : null;
};

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => stored() ?? 'ar');
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  }, [lang]);
  const choose = useCallback((l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLang(l);
  }, []);
  const suggest = useCallback((l: Lang) => {
    if (!stored()) setLang(l);
  }, []);
  const value = useMemo(() => ({ lang, choose, suggest }), [lang, choose, suggest]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** `t('key', { name: 'Mona' })` replaces `{name}` in the message. */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const { lang } = useLang();
  return useCallback(
    (key: K, vars?: Record<string, string | number>) => {
      const text = messages[lang][key] ?? messages.en[key] ?? key;
      return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? format(lang, vars[name]) : m)) : text;
    },
    [lang, messages],
  );
}

const locales: Record<Lang, string> = { ar: 'ar-EG', en: 'en-GB' };

function format(lang: Lang, v: string | number): string {
  return typeof v === 'number' ? new Intl.NumberFormat(locales[lang]).format(v) : v;
}

/** Dates, times, numbers and percentages in the current language (Arabic-Indic digits in Arabic). */
export function useFormat() {
  const { lang } = useLang();
  return useMemo(() => {
    const locale = locales[lang];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    return {
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      time: (iso: string | null | undefined) => (iso ? time.format(new Date(iso)) : '—'),
      number: (n: number | null | undefined) => (n == null ? '—' : number.format(n)),
      /** `ratio` from 0 to 1. */
      percent: (ratio: number | null | undefined) => (ratio == null ? '—' : percent.format(ratio)),
    };
  }, [lang]);
}
