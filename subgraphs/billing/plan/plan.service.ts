import { domainEvent } from '../../../platform/events/domain-events';
import { notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BillingContext } from '../context';
import { uuidArg } from '../../../platform/graphql/ids';
import { Plan } from './plan.entity';
import type { CreatePlanInput } from './plan.input';

/** Plans are created and archived by school admins (the resolver checks the role). */
export class PlanService {
  /** A new plan; `plan.created` goes out with it (courses stops free enrollment into a sold course). */
  async create(ctx: BillingContext, input: CreatePlanInput): Promise<Plan> {
    const { schoolId } = viewerOf(ctx);
    const courseId = input.courseId ? uuidArg(input.courseId, 'input.courseId') : undefined;
    return ctx.em.transactional(async (tx) => {
      const plan = tx.create(Plan, {
        schoolId,
        name: input.name.trim(),
        amountPiasters: input.amountPiasters,
        interval: input.interval,
        courseId,
      });
      recordEvent(
        tx,
        domainEvent('plan.created', schoolId, {
          planId: plan.id,
          courseId,
          name: plan.name,
          amountPiasters: plan.amountPiasters,
          currency: 'EGP',
          interval: plan.interval,
        }),
      );
      return plan;
    });
  }

  /** No new subscriptions from now on; running ones keep their paid period. Idempotent. */
  async archive(ctx: BillingContext, id: string): Promise<Plan> {
    const { schoolId } = viewerOf(ctx);
    return ctx.em.transactional(async (tx) => {
      const plan = await tx.findOne(Plan, { id: uuidArg(id, 'id') });
      if (!plan) throw notFound('Plan');
      if (plan.active) {
        plan.active = false;
        recordEvent(tx, domainEvent('plan.archived', schoolId, { planId: plan.id, courseId: plan.courseId }));
      }
      return plan;
    });
  }
}
