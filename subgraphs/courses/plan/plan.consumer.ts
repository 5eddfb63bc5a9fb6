import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { CoursePlan } from './course-plan.entity';

export const coursePlansConsumer: ConsumerDefinition<DomainEventOf<'plan.created' | 'plan.archived'>> = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'courses.course-plans',
  options: { bindings: ['plan.created', 'plan.archived'] } satisfies ConsumeOptions,

  /** Applies one plan event once (handleOnce): a course plan is recorded, an archived one forgotten. School-wide plans sell no course. */
  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'plan.created' | 'plan.archived'>>): Promise<void> => {
      const event = message.payload;
      const { planId, courseId } = event.payload;
      if (!courseId) return;
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      await handleOnce(em, coursePlansConsumer.queue, message.id, async (tx) => {
        const existing = await tx.findOne(CoursePlan, { planId });
        if (event.type === 'plan.created' && !existing) tx.create(CoursePlan, { schoolId: event.tenantId, courseId, planId });
        else if (event.type === 'plan.archived' && existing) tx.remove(existing);
      });
    };
  },
};
