import { Arg, Ctx, Directive, Field, FieldResolver, Int, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { formatMoney } from '../../../platform/i18n/money';
import type { AnalyticsContext } from '../context';

/** The users subgraph's `Locale` (same values), for the languages money is written in. */
export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });

/** Billing's `Money` value type (shareable: the same definition in both subgraphs), for revenue. */
@Directive('@shareable')
@ObjectType({ description: 'An amount in integer piasters (1 EGP = 100 piasters).' })
export class Money {
  @Field(() => Int, { description: 'The amount in piasters (EGP × 100).' })
  amountPiasters!: number;

  @Field({ description: 'ISO 4217 code; always EGP.' })
  currency!: string;
}

export const money = (amountPiasters: number): Money => Object.assign(new Money(), { amountPiasters, currency: 'EGP' });

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => String, {
    description:
      "The amount written for people: in `locale` when given, else in the viewer's language (Accept-Language, their saved locale, the school's), else in the school's billing locale: ar-EG `١٬٥٠٠٫٠٠ ج.م.‏`, en-EG `EGP 1,500.00`.",
  })
  formatted(
    @Root() amount: Money,
    @Arg('locale', () => Locale, { nullable: true }) locale: Locale | undefined,
    @Ctx() ctx: AnalyticsContext,
  ): string {
    // Analytics keeps no billing profile: without a language asked for, Arabic, the platform's default.
    const chosen = locale ?? (ctx.locale === 'en' ? Locale.EN : Locale.AR);
    return formatMoney(amount.amountPiasters, chosen);
  }
}
