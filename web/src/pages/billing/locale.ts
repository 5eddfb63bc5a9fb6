import { useLang } from '../../i18n/i18n';
import type { Locale } from '../../gql/graphql';

/** A name inside a sentence of the other direction (an English plan name in Arabic): isolated, so it keeps its own order. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

/** The `Locale` to ask `Money.formatted` in: the page's language. */
export function useMoneyLocale(): Locale {
  return useLang().lang === 'ar' ? 'AR' : 'EN';
}
