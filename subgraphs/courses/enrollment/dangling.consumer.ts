import type { EntityManager } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { Course } from '../course/course.entity';
import { Person } from '../../../platform/people/person.entity';
import { Enrollment } from './enrollment.entity';
import { removeEnrollments } from './enrollment.service';

/** Enrollments looked at per query: bounds memory on a big school. */
const PAGE = 500;

/** `removedBy` of the enrollments the clean-up removed. */
export const CLEANUP_REMOVER = 'UNKNOWN_STUDENT';

/**
 * The clean-up of enrollments that name no student of their school (made before `enroll` checked
 * its student: a parent, the teacher, a made-up id, another school's person). Not a migration: when
 * migrations run on an existing deployment the people read model is still empty (it is new), so a
 * migration could not tell a good row from a bad one and would remove them all. It runs when the
 * read model is known to be complete for a school: on `people.backfill.completed`, once this
 * subgraph holds at least the number of people users counted for the school (the `user.upserted`
 * events before it may still be in flight, or retried: then this delivery fails and is retried
 * later, with long delays, and is dead-lettered rather than guessing). Removal is the soft delete
 * of removeEnrollment (reason `UNKNOWN_STUDENT`), so a wrong removal can be undone.
 *
 * Courses whose teacher is no known teacher are only logged: a course cannot be removed on a
 * guess; a school admin hands it to a teacher (`updateCourse`).
 */
export const danglingEnrollmentsConsumer: ConsumerDefinition<DomainEventOf<'people.backfill.completed'>> = {
  queue: 'courses.dangling-enrollments',
  options: {
    bindings: ['people.backfill.completed'],
    // A big backfill takes a while to apply: wait for it rather than dead-letter after a minute.
    retryDelaysMs: [1_000, 10_000, 60_000, 300_000, 1_800_000],
  } satisfies ConsumeOptions,

  handler({ orm, logger }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'people.backfill.completed'>>): Promise<void> => {
      const event = message.payload;
      const schoolId = event.tenantId;
      const em = scopeToTenant(orm.em.fork(), schoolId);
      await handleOnce(em, danglingEnrollmentsConsumer.queue, message.id, async (tx) => {
        const known = await tx.count(Person, {});
        if (known < event.payload.people) {
          throw new Error(`people read model of school ${schoolId} holds ${known} of ${event.payload.people} people; clean-up waits`);
        }
        const removed = await removeDangling(tx, schoolId);
        await reportTeacherless(tx, schoolId, logger);
        if (removed) {
          logger.warn({ schoolId, removed, requestId: event.payload.requestId }, 'removed enrollments naming no student of the school');
        }
      });
    };
  },
};

/** Soft-removes, page by page, the school's enrollments whose student is not a known student; returns how many. */
async function removeDangling(tx: EntityManager, schoolId: string): Promise<number> {
  let removed = 0;
  for (let after = ''; ;) {
    const page = await tx.find(Enrollment, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: PAGE });
    if (!page.length) return removed;
    const people = new Map((await tx.find(Person, { id: { $in: [...new Set(page.map((e) => e.studentId))] } })).map((p) => [p.id, p]));
    const dangling = page.filter((e) => !people.get(e.studentId)?.roles.includes(Roles.STUDENT));
    removed += await removeEnrollments(tx, schoolId, dangling, CLEANUP_REMOVER, 'UNKNOWN_STUDENT');
    await tx.flush();
    // The page's rows are done with; a big school would otherwise pile up in the identity map.
    tx.clear();
    after = page[page.length - 1].id;
  }
}

async function reportTeacherless(tx: EntityManager, schoolId: string, logger: Logger): Promise<void> {
  const courses = await tx.find(Course, {}, { fields: ['id', 'teacherId'] });
  const teachers = new Set(
    (await tx.find(Person, { id: { $in: [...new Set(courses.map((c) => c.teacherId))] } }))
      .filter((p) => p.roles.includes(Roles.TEACHER))
      .map((p) => p.id),
  );
  const teacherless = courses.filter((c) => !teachers.has(c.teacherId)).map((c) => c.id);
  if (teacherless.length) {
    logger.warn(
      { schoolId, courseIds: teacherless.slice(0, 100), count: teacherless.length },
      'courses whose teacher is no teacher of the school; hand them to one (updateCourse)',
    );
  }
}
