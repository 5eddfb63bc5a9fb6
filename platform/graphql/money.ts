import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** The only currency the platform takes: Egyptian pounds, counted in piasters (1 EGP = 100). */
export const CURRENCY = 'EGP' as const;

/** The users subgraph's `Locale` (same values), for the languages money is written in. */
export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });

/**
 * An amount of money: a value type several subgraphs return (billing's prices and payments,
 * analytics' revenue), hence shareable and defined once here. Each subgraph resolves `formatted`
 * its own way (the language it knows for the viewer or the school).
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
