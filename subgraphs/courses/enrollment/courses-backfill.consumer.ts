import { LockMode, type MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { domainEvent, type DomainEventOf } from '../../../platform/events/domain-events';
import { BACKFILL_BATCH, recordForEachRow } from '../../../platform/outbox/in-batches';
import { handleOnce, ProcessedMessage, recordEvent } from '../../../platform/outbox/outbox';
import { Person } from '../../../platform/people/person.entity';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { Course } from '../course/course.entity';
import { courseUpserted } from '../course/course.events';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';

/**
 * Answers a subgraph whose read model of courses is new or was lost (messaging): the state of
 * every school's courses and enrollments, as the events that keep that model. Lives with
 * enrollments, which are a child of courses: it reads both.
 */
export const coursesBackfillConsumer: ConsumerDefinition<DomainEventOf<'courses.backfill.requested'>> = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'courses.courses-backfill',
  options: { bindings: ['courses.backfill.requested'] } satisfies ConsumeOptions,

  /**
   * Records, per school and a batch per transaction, `course.upserted` for every course (deleted
   * ones are left out: the soft-delete filter) and `enrollment.created` with `backfill: true` for
   * every current enrollment (ACTIVE or COMPLETED; removed ones are behind their filter, those of a
   * deleted course behind its course), then per school a `courses.backfill.completed` with the
   * numbers sent, recorded after them. The completions are recorded with the request's processed
   * id (handleOnce), so a request is answered once; a crash half-way sends the batches again on the
   * redelivery, which is harmless: the events carry state, and consumers keep the latest.
   */
  handler({ orm, logger }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'courses.backfill.requested'>>): Promise<void> => {
      const consumer = coursesBackfillConsumer.queue;
      if (await orm.em.fork().count(ProcessedMessage, { consumer, messageId: message.id })) return;
      const schools = await schoolIds(orm);
      const sent: Array<{ schoolId: string; courses: number; enrollments: number }> = [];
      for (const schoolId of schools) {
        sent.push({ schoolId, courses: await sendCoursesOf(orm, schoolId), enrollments: await sendEnrollmentsOf(orm, schoolId) });
      }
      await handleOnce(orm.em.fork(), consumer, message.id, async (tx) => {
        for (const { schoolId, courses, enrollments } of sent) {
          recordEvent(tx, domainEvent('courses.backfill.completed', schoolId, { requestId: message.id, courses, enrollments }));
        }
      });
      logger.info(
        {
          requestId: message.id,
          requestedBy: message.payload.payload.requestedBy,
          schools: schools.length,
          courses: sent.reduce((n, s) => n + s.courses, 0),
          enrollments: sent.reduce((n, s) => n + s.enrollments, 0),
        },
        'courses backfill sent',
      );
    };
  },
};

/**
 * The schools this subgraph knows (courses has no table of schools): those with courses or people.
 * Across every school, so with the tenant filter left out (the QueryBuilder applies none unless asked).
 */
async function schoolIds(orm: MikroORM): Promise<string[]> {
  const em = orm.em.fork() as SqlEntityManager;
  const ids = new Set<string>();
  for (const entity of [Course, Person]) {
    const rows = await em.createQueryBuilder(entity, 'x').select('x.schoolId', true).execute<Array<{ schoolId: string }>>('all', true);
    for (const row of rows) ids.add(row.schoolId);
  }
  return [...ids].sort();
}

/** Records `course.upserted` for every course of the school, in batches; returns how many. */
const sendCoursesOf = (orm: MikroORM, schoolId: string): Promise<number> =>
  recordForEachRow(
    orm,
    schoolId,
    (tx, after) => tx.find(Course, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: BACKFILL_BATCH }),
    (tx, course) => recordEvent(tx, courseUpserted(course)),
  );

/** Records `enrollment.created` (backfill) for every current enrollment of the school, in batches; returns how many. */
const sendEnrollmentsOf = (orm: MikroORM, schoolId: string): Promise<number> =>
  recordForEachRow(
    orm,
    schoolId,
    // Read-locked (MySQL) until the events are recorded: a drop or removal at the same time waits,
    // so its event is recorded after this state and is the one a consumer keeps.
    (tx, after) =>
      tx.find(
        Enrollment,
        { id: { $gt: after }, status: { $in: [EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED] } },
        { orderBy: { id: 'asc' }, limit: BACKFILL_BATCH, lockMode: LockMode.PESSIMISTIC_READ },
      ),
    (tx, row) =>
      recordEvent(
        tx,
        domainEvent('enrollment.created', schoolId, {
          enrollmentId: row.id,
          courseId: row.course.id,
          studentId: row.studentId,
          enrolledAt: row.createdAt.toISOString(),
          backfill: true,
        }),
      ),
  );
