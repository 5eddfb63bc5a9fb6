import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { formatMoney, Locale, Money } from './money';

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => String, {
    description:
      "The amount written for people: in `locale` when given, else in the viewer's language (Accept-Language, their saved locale, the school's), else in the school's billing locale: ar-EG `١٬٥٠٠٫٠٠ ج.م.‏`, en-EG `EGP 1,500.00`.",
  })
  async formatted(
    @Root() amount: Money,
    @Arg('locale', () => Locale, { nullable: true }) locale: Locale | undefined,
    @Ctx() ctx: BillingContext,
  ): Promise<string> {
    if (locale) return formatMoney(amount.amountPiasters, locale);
    if (ctx.locale) return formatMoney(amount.amountPiasters, ctx.locale === 'ar' ? Locale.AR : Locale.EN);
    const profile = ctx.tenant ? await ctx.loaders.billingProfile.load(ctx.tenant.id) : null;
    return formatMoney(amount.amountPiasters, profile?.locale ?? Locale.AR);
  }
}
