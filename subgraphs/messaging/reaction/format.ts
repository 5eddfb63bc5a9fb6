/**
 * Formats what the reaction notifications show (amounts, dates, numbers) for one language, so the
 * templates only place them: Egyptian Arabic digits and "ج.م." in Arabic, British English
 * otherwise, times in Cairo's time zone (the platform's schools are in Egypt).
 */
export type Locale = 'AR' | 'EN';

const TAGS: Record<Locale, string> = { AR: 'ar-EG', EN: 'en-GB' };
const TIME_ZONE = 'Africa/Cairo';

export { formatMoney } from '../../../platform/i18n/money';

/** Day and time: "Monday, 7 December 2026 at 18:30" / "الاثنين، ٧ ديسمبر ٢٠٢٦ في ٦:٣٠ م". */
export const formatDateTime = (at: Date | string, locale: Locale): string =>
  new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'full', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(at));

export const formatNumber = (n: number, locale: Locale): string => new Intl.NumberFormat(TAGS[locale]).format(n);

export const formatPercent = (ratio: number, locale: Locale): string =>
  new Intl.NumberFormat(TAGS[locale], { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

/** A locale as events and contacts spell it (`ar`, `AR`, `en-GB`…), or AR, the platform's default. */
export const toLocale = (value: string | undefined | null): Locale => (value?.toUpperCase().startsWith('EN') ? 'EN' : 'AR');

/** Time of day, for a reminder sent the same day: "18:30" / "٦:٣٠ م". */
export const formatTime = (at: Date | string, locale: Locale): string =>
  new Intl.DateTimeFormat(TAGS[locale], { timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(at));
