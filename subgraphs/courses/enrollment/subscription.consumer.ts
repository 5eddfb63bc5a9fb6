import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import { Roles } from '../../../platform/auth/roles';
import { Course, CourseStatus } from '../course/course.entity';
import { personAs } from '../person/person.rules';
import { Enrollment, EnrollmentSource } from './enrollment.entity';
import { dropEnrollment, enrollIn } from './enrollment.service';

type SubscriptionEvent = DomainEventOf<'plan.subscription.activated'> | DomainEventOf<'plan.subscription.expired'>;

export const subscriptionEnrollmentConsumer: ConsumerDefinition<SubscriptionEvent> = {
  queue: 'courses.subscription-enrollments',
  options: { bindings: ['plan.subscription.activated', 'plan.subscription.expired'] } satisfies ConsumeOptions,

  /**
   * `plan.subscription.expired`: drops the enrollment the subscription made (history kept) and
   * records `enrollment.dropped` in the same transaction.
   * `plan.subscription.activated`: enrolls the student once per event (handleOnce, as consumer `queue`) and records `enrollment.created` in the same
   * transaction. Already enrolled, an unknown or archived course: acknowledged without change
   * (logged), since retrying would not change the outcome. A student the read model does not know
   * (yet) fails the delivery: retried while `user.upserted` may still be on its way, then
   * dead-lettered for someone to look at, since a paid enrollment must not vanish silently.
   */
  handler({ orm, logger }: ConsumerRuntime) {
    return async (message: BrokerMessage<SubscriptionEvent>): Promise<void> => {
      const event = message.payload;
      const { courseId, studentId, subscriptionId } = event.payload;
      if (!courseId) return;
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      await handleOnce(em, subscriptionEnrollmentConsumer.queue, message.id, async (tx) => {
        if (event.type === 'plan.subscription.expired') {
          // The paid period is over: the enrollment this subscription made is dropped, its progress
          // kept (a renewal enrolls again and brings it back). One made otherwise stays.
          const enrollment = await tx.findOne(Enrollment, {
            course: courseId,
            studentId,
            source: EnrollmentSource.SUBSCRIPTION,
            sourceRef: subscriptionId,
          });
          if (enrollment) await dropEnrollment(tx, event.tenantId, enrollment, 'SUBSCRIPTION_EXPIRED');
          return;
        }
        const course = await tx.findOne(Course, { id: courseId });
        if (!course || course.status === CourseStatus.ARCHIVED) {
          logger.warn(
            { courseId, subscriptionId, tenantId: event.tenantId },
            'subscription for a course that takes no enrollments; ignored',
          );
          return;
        }
        if (!(await personAs(tx, studentId, Roles.STUDENT))) {
          throw new Error(`student ${studentId} of subscription ${subscriptionId} is not an active student of school ${event.tenantId}`);
        }
        await enrollIn(tx, event.tenantId, { courseId, studentId, source: EnrollmentSource.SUBSCRIPTION, sourceRef: subscriptionId });
      });
    };
  },
};
