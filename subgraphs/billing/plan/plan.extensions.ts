import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { optionalViewer } from '../../../platform/auth/viewer';
import type { BillingContext } from '../context';
import { CourseRef } from '../references';
import { Plan } from './plan.entity';

/** The field plans add to the courses subgraph's `Course`. */
@Resolver(() => CourseRef)
export class CoursePlansResolver {
  @FieldResolver(() => [Plan], { description: 'Active plans that sell this course, cheapest first (school-wide plans not included).' })
  async plans(@Root() course: CourseRef, @Ctx() ctx: BillingContext): Promise<Plan[]> {
    return optionalViewer(ctx) ? ctx.loaders.activePlansByCourse.load(course.id) : [];
  }
}

/**
 * `_entities` lookups of a Course for `plans`. Billing cannot tell whether the course exists or
 * whom courses lets see it; it need not: courses resolved the course before the gateway asks
 * here, and plans are the school's public price list (tenant-filtered).
 */
export const courseReference = {
  __resolveReference: (ref: { id: string }) => Object.assign(new CourseRef(), { id: ref.id }),
};
