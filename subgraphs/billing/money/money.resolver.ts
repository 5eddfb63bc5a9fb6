import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { formatMoney, Locale, Money } from './money';

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => String, {
    description:
      "The amount written for people: in `locale` when given, else in the school's billing locale (Arabic unless the school chose English): ar-EG `١٬٥٠٠٫٠٠ ج.م.‏`, en-EG `EGP 1,500.00`.",
  })
  async formatted(
    @Root() amount: Money,
    @Arg('locale', () => Locale, { nullable: true }) locale: Locale | undefined,
    @Ctx() ctx: BillingContext,
  ): Promise<string> {
    const profile = ctx.tenant ? await ctx.loaders.billingProfile.load(ctx.tenant.id) : null;
    return formatMoney(amount.amountPiasters, locale ?? profile?.locale ?? Locale.AR);
  }
}
