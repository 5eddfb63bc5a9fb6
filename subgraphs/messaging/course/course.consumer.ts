import type { EntityManager } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { applyLatest } from '../../../platform/db/latest-state';
import { scopeToTenant } from '../../../platform/db/tenant';
import { EVERY_SCHOOL, type DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';

type CourseEvent = DomainEventOf<'course.upserted' | 'course.deleted' | 'enrollment.created' | 'enrollment.dropped' | 'enrollment.removed'>;

/**
 * Courses' events applied to the read model of courses and enrollments, once per message
 * (handleOnce, as consumer `queue`), in the event's school; live changes and a courses backfill's
 * answers alike. Every event states a row's whole state (a course's title, teacher and status; an
 * enrollment active or not), so only their order matters: one older (`occurredAt`) than what the
 * row reflects changes nothing. Two first events of one row at once: the loser's insert fails on
 * the key and its retry finds the row.
 */
export const coursesConsumer: ConsumerDefinition<CourseEvent> = {
  queue: 'messaging.courses',
  options: {
    bindings: ['course.upserted', 'course.deleted', 'enrollment.created', 'enrollment.dropped', 'enrollment.removed'],
  } satisfies ConsumeOptions,

  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<CourseEvent>): Promise<void> => {
      const event = message.payload;
      const observedAt = new Date(event.occurredAt);
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      await handleOnce(em, coursesConsumer.queue, message.id, async (tx) => {
        switch (event.type) {
          case 'course.upserted':
            return upsertCourse(tx, event as DomainEventOf<'course.upserted'>, observedAt);
          case 'course.deleted':
            return deleteCourse(tx, event as DomainEventOf<'course.deleted'>, observedAt);
          case 'enrollment.created':
          case 'enrollment.dropped':
          case 'enrollment.removed':
            return setEnrollment(
              tx,
              event as DomainEventOf<'enrollment.created' | 'enrollment.dropped' | 'enrollment.removed'>,
              observedAt,
            );
          default:
            // Not bound (see options); acknowledged unchanged should a binding ever bring one.
            return;
        }
      });
    };
  },
};

async function upsertCourse(tx: EntityManager, event: DomainEventOf<'course.upserted'>, observedAt: Date): Promise<void> {
  const { courseId, title, teacherId, status } = event.payload;
  // deletedAt is left as it is: courses never brings a deleted course back.
  await applyLatest(tx, CourseInfo, { id: courseId, schoolId: event.tenantId }, observedAt, { title, teacherId, status });
}

/**
 * A deletion is final whatever its order. Of a course not known yet (its `course.upserted` still
 * on its way), a deleted placeholder is kept, so that the older upsert arriving later changes
 * nothing. Lesson and quiz deletions (same type of payload) are not about the course.
 */
async function deleteCourse(tx: EntityManager, event: DomainEventOf<'course.deleted'>, observedAt: Date): Promise<void> {
  const { courseId, lessonId, quizId, deletedAt } = event.payload;
  if (lessonId || quizId) return;
  const info = await tx.findOne(CourseInfo, { id: courseId });
  const when = new Date(deletedAt);
  if (info) {
    info.deletedAt ??= when;
    if (observedAt > info.observedAt) info.observedAt = observedAt;
  } else {
    // EVERY_SCHOOL (the nil UUID) as the teacher: nobody's, and a deleted course is in nobody's lists anyway.
    tx.create(CourseInfo, {
      id: courseId,
      schoolId: event.tenantId,
      title: '',
      teacherId: EVERY_SCHOOL,
      status: 'ARCHIVED',
      deletedAt: when,
      observedAt,
    });
  }
}

/**
 * `enrollment.created` (live or backfill: a restored enrollment keeps its id) makes the row
 * active, `.dropped` and `.removed` inactive; one of an enrollment not known yet creates it, so an
 * older event arriving later changes nothing.
 */
async function setEnrollment(
  tx: EntityManager,
  event: DomainEventOf<'enrollment.created' | 'enrollment.dropped' | 'enrollment.removed'>,
  observedAt: Date,
): Promise<void> {
  const { enrollmentId, courseId, studentId } = event.payload;
  const active = event.type === 'enrollment.created';
  await applyLatest(tx, CourseEnrollment, { id: enrollmentId, schoolId: event.tenantId }, observedAt, { active }, { courseId, studentId });
}
