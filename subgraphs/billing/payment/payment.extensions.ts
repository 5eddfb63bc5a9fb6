import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { forbidden } from '../../../platform/errors';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import type { BillingContext } from '../context';
import { billingPolicy } from '../policy';
import { UserRef } from '../references';
import { PlanSubscription } from '../subscription/plan-subscription.entity';
import { Payment } from './payment.entity';

export const PaymentConnection = ConnectionType(Payment);

/** What billing adds to the users subgraph's `User`. */
@Resolver(() => UserRef)
export class UserBillingResolver {
  @FieldResolver(() => PaymentConnection, { description: 'Payments this person made, oldest first: for themselves and school admins.' })
  async payments(@Root() user: UserRef, @Args() page: PageArgs, @Ctx() ctx: BillingContext) {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin && viewer.id !== user.id) throw forbidden("Only school admins see another person's payments");
    return paginate(ctx.em, Payment, { payerId: user.id }, page);
  }

  @FieldResolver(() => [PlanSubscription], {
    description:
      "This student's plan subscriptions: all of them for the student, their guardians and school admins; those they paid for to anyone else.",
  })
  async planSubscriptions(@Root() user: UserRef, @Ctx() ctx: BillingContext): Promise<PlanSubscription[]> {
    const viewer = viewerOf(ctx);
    const subscriptions = await ctx.loaders.planSubscriptionsByStudent.load(user.id);
    if (viewer.isAdmin || (await billingPolicy.isSelfOrChild(ctx, viewer, user.id))) return subscriptions;
    // Anyone else sees only what they paid for (nothing, usually), which tells nothing of the rest.
    return subscriptions.filter((s) => s.payerId === viewer.id);
  }
}

/**
 * `_entities` lookups of a User for the fields above: billing cannot tell whether the id is a
 * member of the school, and need not: the fields read through the tenant filter and check the caller.
 */
export const userReference = {
  __resolveReference: (ref: { id: string }, ctx: BillingContext) => (ctx.user ? Object.assign(new UserRef(), { id: ref.id }) : null),
};
