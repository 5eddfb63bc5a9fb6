import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Roles } from '../../../platform/auth/roles';
import type { BillingContext } from '../context';
import { Payment } from '../payment/payment.entity';
import type { RefundService } from './refund.service';

@Resolver(() => Payment)
export class RefundResolver {
  constructor(private readonly refunds: RefundService) {}

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Mutation(() => Payment, {
    description:
      'School admins refund part or all of a paid payment through its provider (a whole card payment on its own day is voided instead). Never more than was paid, also when refunds are asked at once (CONFLICT). Kiosk payments cannot be refunded through Paymob.',
  })
  refundPayment(
    @Arg('paymentId', () => ID) paymentId: string,
    @Arg('amountPiasters', () => Int) amountPiasters: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | undefined,
    @Ctx() ctx: BillingContext,
  ): Promise<Payment> {
    return this.refunds.refund(ctx, paymentId, amountPiasters, reason);
  }
}
