import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { optionalViewer } from '../../../platform/auth/viewer';
import type { BillingContext } from '../context';
import { isUuid } from '../../../platform/graphql/ids';
import { Plan } from '../plan/plan.entity';
import { billingPolicy } from '../policy';
import { UserRef, userRef } from '../references';
import { PlanSubscription } from './plan-subscription.entity';
import type { PlanSubscriptionService } from './plan-subscription.service';

@Resolver(() => PlanSubscription)
export class PlanSubscriptionResolver {
  constructor(private readonly service: PlanSubscriptionService) {}

  @Authorized()
  @Query(() => PlanSubscription, {
    nullable: true,
    description: 'For the student, their guardians, the payer and school admins; null otherwise.',
  })
  planSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<PlanSubscription | null> {
    return visibleSubscription(ctx, id);
  }

  @Authorized()
  @Mutation(() => PlanSubscription, {
    description:
      'Stops the renewals (the payer, the student’s guardians, school admins): a paid subscription keeps access until currentPeriodEnd; a pending one is canceled at once.',
  })
  cancelPlanSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<PlanSubscription> {
    return this.service.cancel(ctx, id);
  }

  @FieldResolver(() => Plan)
  async plan(@Root() subscription: PlanSubscription, @Ctx() ctx: BillingContext): Promise<Plan> {
    return (await ctx.loaders.plan.load(subscription.plan.id))!;
  }

  @FieldResolver(() => UserRef)
  student(@Root() subscription: PlanSubscription): UserRef {
    return userRef(subscription.studentId);
  }

  @FieldResolver(() => UserRef, { description: 'Who paid the current period (or is paying the first).' })
  payer(@Root() subscription: PlanSubscription): UserRef {
    return userRef(subscription.payerId);
  }
}

/** The subscription when the viewer may see it (billing.policy); null otherwise, and for another school's id. */
export async function visibleSubscription(ctx: BillingContext, id: string): Promise<PlanSubscription | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer || !isUuid(id)) return null;
  const subscription = await ctx.loaders.planSubscription.load(id.toLowerCase());
  return subscription && (await billingPolicy.canSeeSubscription(ctx, viewer, subscription)) ? subscription : null;
}

export const planSubscriptionReference = {
  __resolveReference: (ref: { id: string }, ctx: BillingContext) => visibleSubscription(ctx, ref.id),
};
