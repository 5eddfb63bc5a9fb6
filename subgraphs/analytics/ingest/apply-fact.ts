import type { EntityManager } from '@mikro-orm/core';
import type { Fact } from '../../../platform/events/facts';
import { recordCourse, recordCourseDeleted } from '../course/course.record';
import { recordActivity, recordEnrollmentState, recordProgress } from '../enrollment/enrollment.record';
import { recordAttendance, recordSession } from '../live-session/live-session.record';
import { recordPayment, recordRefund } from '../payment/payment.record';
import { recordQuizAttempt } from '../quiz/quiz.record';
import type { Touched } from './apply-event';

const at = (iso: string) => new Date(iso);

/**
 * Applies one fact of a source's export (platform/events/facts.ts) through the same records as the
 * events, as of `exportedAt` (when the export began): an event that happened after it still wins
 * when it comes, and one from before it, arriving late, changes nothing the export already said.
 */
export async function applyFact(tx: EntityManager, fact: Fact, exportedAt: Date): Promise<Touched> {
  const school = fact.schoolId;
  switch (fact.fact) {
    case 'course':
      await recordCourse(tx, school, fact.courseId, fact, exportedAt);
      if (fact.deleted) await recordCourseDeleted(tx, school, fact.courseId, exportedAt);
      return { courseId: fact.courseId };
    case 'enrollment':
      await recordEnrollmentState(tx, school, fact, fact.state, exportedAt, at(fact.enrolledAt));
      await recordProgress(tx, school, fact, fact.progress, exportedAt);
      return { courseId: fact.courseId };
    case 'lessonCompletion':
      await recordActivity(tx, school, fact.courseId, fact.studentId, at(fact.completedAt));
      return { courseId: fact.courseId };
    case 'quizAttempt':
      await recordQuizAttempt(tx, school, { ...fact, submittedAt: at(fact.submittedAt) });
      await recordActivity(tx, school, fact.courseId, fact.studentId, at(fact.submittedAt));
      return { courseId: fact.courseId };
    case 'liveSession': {
      const optional = (iso?: string) => (iso ? at(iso) : undefined);
      await recordSession(
        tx,
        school,
        {
          sessionId: fact.sessionId,
          courseId: fact.courseId,
          startsAt: at(fact.startsAt),
          startedAt: optional(fact.startedAt),
          endedAt: optional(fact.endedAt),
          canceledAt: optional(fact.canceledAt),
        },
        exportedAt,
      );
      return { sessionId: fact.sessionId };
    }
    case 'attendance':
      await recordAttendance(tx, school, fact, exportedAt);
      if ((fact.status === 'PRESENT' || fact.status === 'LATE') && fact.firstJoinedAt) {
        await recordActivity(tx, school, fact.courseId, fact.studentId, at(fact.firstJoinedAt));
      }
      return { courseId: fact.courseId };
    case 'payment':
      await recordPayment(tx, school, { ...fact, paidAt: at(fact.paidAt) });
      return {};
    case 'refund':
      await recordRefund(tx, school, { ...fact, refundedAt: at(fact.refundedAt) });
      return {};
  }
}
