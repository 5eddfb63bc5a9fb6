import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Locale, Money } from '../../../platform/graphql/money';
import { formatMoney } from '../../../platform/i18n/money';
import type { AnalyticsContext } from '../context';

export { Money, money } from '../../../platform/graphql/money';

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
