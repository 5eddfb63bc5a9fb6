import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { Roles } from '../../../platform/auth/roles';
import type { BillingContext } from '../context';
import { isUuid, uuidArg } from '../../../platform/graphql/ids';
import { money, Money } from '../money/money';
import { CourseRef, courseRef } from '../references';
import { Plan } from './plan.entity';
import { CreatePlanInput } from './plan.input';
import type { PlanService } from './plan.service';

/**
 * Plans are the school's price list: every signed-in member sees the active ones (students and
 * parents choose from them); archived ones only admins.
 */
@Resolver(() => Plan)
export class PlanResolver {
  constructor(private readonly service: PlanService) {}

  @Authorized()
  @Query(() => [Plan], { description: "The school's plans, of one course when `courseId` is given; archived ones for admins who ask." })
  async plans(
    @Arg('courseId', () => ID, { nullable: true }) courseId: string | undefined,
    @Arg('includeArchived', () => Boolean, { nullable: true }) includeArchived: boolean | undefined,
    @Ctx() ctx: BillingContext,
  ): Promise<Plan[]> {
    const viewer = viewerOf(ctx);
    const where = {
      ...(courseId ? { courseId: uuidArg(courseId, 'courseId') } : {}),
      ...(includeArchived && viewer.isAdmin ? {} : { active: true }),
    };
    return ctx.em.find(Plan, where, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @Authorized()
  @Query(() => Plan, { nullable: true })
  async plan(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<Plan | null> {
    return visiblePlan(ctx, id);
  }

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Mutation(() => Plan, { description: 'School admins: a plan for one course (`courseId`) or the whole school.' })
  createPlan(@Arg('input') input: CreatePlanInput, @Ctx() ctx: BillingContext): Promise<Plan> {
    return this.service.create(ctx, input);
  }

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Mutation(() => Plan, { description: 'School admins: no new subscriptions to this plan; running ones keep their paid period.' })
  archivePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<Plan> {
    return this.service.archive(ctx, id);
  }

  @FieldResolver(() => Money)
  price(@Root() plan: Plan): Money {
    return money(plan.amountPiasters);
  }

  @FieldResolver(() => CourseRef, { nullable: true, description: 'The course the plan sells; null for a school-wide plan.' })
  course(@Root() plan: Plan): CourseRef | null {
    return plan.courseId ? courseRef(plan.courseId) : null;
  }
}

/** An active plan, or an archived one for admins; null otherwise (and for another school's id). */
export async function visiblePlan(ctx: BillingContext, id: string): Promise<Plan | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer || !isUuid(id)) return null;
  const plan = await ctx.loaders.plan.load(id.toLowerCase());
  return plan && (plan.active || viewer.isAdmin) ? plan : null;
}

/** `_entities` lookups of a Plan (another subgraph naming one): as `plan(id)`. */
export const planReference = {
  __resolveReference: (ref: { id: string }, ctx: BillingContext) => visiblePlan(ctx, ref.id),
};
