import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { lockCourse, recomputeCourseStats } from '../course/course-stats';
import { retryOnDeadlock } from '../../../platform/db/locks';
import type { DashboardChanges } from '../dashboard/changes';
import { applyEvent, BILLING_EVENTS, COURSE_EVENTS, type AnalyticsEvent, type Touched } from './apply-event';

/**
 * The events of courses and of billing kept as facts (one queue each, so a backlog of one source
 * does not hold up the other). Once per message (handleOnce, as consumer `queue`), in the event's
 * school: the facts change, the course's aggregate is recomputed in the same transaction (under
 * its lock: course-stats.ts), and the dashboards hear of it once it is committed.
 */
export function factConsumers(dashboards: DashboardChanges): ConsumerDefinition<AnalyticsEvent>[] {
  const consumer = (queue: string, bindings: readonly string[]): ConsumerDefinition<AnalyticsEvent> => ({
    queue,
    options: { bindings: [...bindings] } satisfies ConsumeOptions,
    handler({ orm }: ConsumerRuntime) {
      return async (message: BrokerMessage<AnalyticsEvent>): Promise<void> => {
        const event = message.payload;
        let touched: Touched = {};
        const em = scopeToTenant(orm.em.fork(), event.tenantId);
        // Every course event names its course: its aggregate row is locked before any fact is read.
        const courseId = (event.payload as { courseId?: string }).courseId;
        const applied = await retryOnDeadlock(() =>
          handleOnce(em, queue, message.id, async (tx) => {
            if (courseId) await lockCourse(tx, event.tenantId, courseId);
            touched = await applyEvent(tx, event);
            if (touched.courseId) await recomputeCourseStats(tx, event.tenantId, touched.courseId);
          }),
        );
        if (applied) dashboards.changed(event.tenantId, touched);
      };
    },
  });
  return [consumer('analytics.courses', COURSE_EVENTS), consumer('analytics.billing', BILLING_EVENTS)];
}
