/** The languages clients are answered in; the GraphQL `Locale` enum (AR, EN) in lower case. */
export const LOCALES = ['ar', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** `ar`/`AR`/`ar-EG` → 'ar'; anything else undefined. */
export function asLocale(value: string | undefined | null): Locale | undefined {
  const primary = value?.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(primary ?? '') ? (primary as Locale) : undefined;
}

/**
 * The supported language an `Accept-Language` header prefers (RFC 9110 §12.5.4: quality values,
 * `*` and unsupported ranges skipped), or undefined when it names none of ours.
 */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .map((part, order) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      return { locale: asLocale(range), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.locale && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges[0]?.locale;
}

/**
 * The language of one answer: what the request asks for (Accept-Language), else the signed-in
 * person's saved locale, else the school's, else English. A header wins over the saved locale so
 * that an app can switch language at once, without a new sign-in.
 */
export function chooseLocale(opts: { acceptLanguage?: string; userLocale?: string; schoolLocale?: string }): Locale {
  return fromAcceptLanguage(opts.acceptLanguage) ?? asLocale(opts.userLocale) ?? asLocale(opts.schoolLocale) ?? 'en';
}
