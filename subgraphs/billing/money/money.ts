import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** The only currency the platform takes: Egyptian pounds, counted in piasters (1 EGP = 100). */
export const CURRENCY = 'EGP' as const;

/** The users subgraph's `Locale` (same values), for the languages money is written in. */
export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });

/** The `Intl` locale of a platform locale: Egyptian Arabic or Egyptian English. */
export const intlLocale = (locale: Locale): string => (locale === Locale.EN ? 'en-EG' : 'ar-EG');

/**
 * An amount as written for people: `١٬٥٠٠٫٠٠ ج.م.‏` in ar-EG, `EGP 1,500.00` in en-EG. The
 * amount is integer piasters everywhere; only here (and at the Fawry edge) does it become a
 * decimal, and Intl rounds nothing since piasters are exactly two decimals.
 */
export function formatMoney(amountPiasters: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: CURRENCY }).format(amountPiasters / 100);
}

/**
 * An amount of money. A value type other subgraphs may return too (analytics' revenue), hence
 * shareable. `formatted` is resolved in money.resolver.ts (it depends on the viewer's locale).
 */
@Directive('@shareable')
@ObjectType({ description: 'An amount in integer piasters (1 EGP = 100 piasters).' })
export class Money {
  @Field(() => Int, { description: 'The amount in piasters (EGP × 100).' })
  amountPiasters!: number;

  @Field({ description: 'ISO 4217 code; always EGP.' })
  currency!: string;
}

export const money = (amountPiasters: number): Money => Object.assign(new Money(), { amountPiasters, currency: CURRENCY });
