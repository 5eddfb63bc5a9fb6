import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { optionalViewer } from '../../../platform/auth/viewer';
import type { BillingContext } from '../context';
import { isUuid } from '../../../platform/graphql/ids';
import { money, Money } from '../money/money';
import { billingPolicy } from '../policy';
import { UserRef, userRef } from '../references';
import { PlanSubscription } from '../subscription/plan-subscription.entity';
import { Payment, PaymentMethod, PaymentProvider } from './payment.entity';
import { PaymentContactInput } from './payment.input';
import type { PaymentService } from './payment.service';

@Resolver(() => Payment)
export class PaymentResolver {
  constructor(private readonly service: PaymentService) {}

  @Authorized()
  @Mutation(() => Payment, {
    description:
      'The student or their guardian starts paying for a plan: a pending payment with where to pay (`checkoutUrl`, or `fawryReferenceNumber` to pay at a Fawry point before `expiresAt`). Once the provider confirms it, the subscription is ACTIVE, the student enrolled in the plan’s course and an invoice issued. Paymob takes CARD and WALLET, Fawry CARD and FAWRY_REFERENCE. SERVICE_UNAVAILABLE (with `service`) when the provider cannot be reached.',
  })
  subscribe(
    @Arg('planId', () => ID) planId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Arg('provider', () => PaymentProvider) provider: PaymentProvider,
    @Arg('method', () => PaymentMethod) method: PaymentMethod,
    @Arg('contact', () => PaymentContactInput, { nullable: true, description: 'Phone and e-mail for the provider’s receipt and SMS.' })
    contact: PaymentContactInput | undefined,
    @Ctx() ctx: BillingContext,
  ): Promise<Payment> {
    return this.service.subscribe(ctx, { planId, studentId, provider, method, contact });
  }

  @Authorized()
  @Query(() => Payment, { nullable: true, description: 'For its payer and school admins; null otherwise.' })
  payment(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<Payment | null> {
    return visiblePayment(ctx, id);
  }

  @FieldResolver(() => Money)
  amount(@Root() payment: Payment): Money {
    return money(payment.amountPiasters);
  }

  @FieldResolver(() => Money, { description: 'Refunded so far (0 when none).' })
  refundedAmount(@Root() payment: Payment): Money {
    return money(payment.refundedPiasters);
  }

  @FieldResolver(() => PlanSubscription)
  async subscription(@Root() payment: Payment, @Ctx() ctx: BillingContext): Promise<PlanSubscription> {
    return (await ctx.loaders.planSubscription.load(payment.subscription.id))!;
  }

  @FieldResolver(() => UserRef)
  student(@Root() payment: Payment): UserRef {
    return userRef(payment.studentId);
  }

  @FieldResolver(() => UserRef)
  payer(@Root() payment: Payment): UserRef {
    return userRef(payment.payerId);
  }
}

/** The payment when the viewer is its payer or a school admin; null otherwise, and for another school's id. */
export async function visiblePayment(ctx: BillingContext, id: string): Promise<Payment | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer || !isUuid(id)) return null;
  const payment = await ctx.loaders.payment.load(id.toLowerCase());
  return payment && billingPolicy.canSeePayment(viewer, payment) ? payment : null;
}

export const paymentReference = {
  __resolveReference: (ref: { id: string }, ctx: BillingContext) => visiblePayment(ctx, ref.id),
};
