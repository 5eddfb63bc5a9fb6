import type { EntityManager } from '@mikro-orm/core';
import type { DomainEventOf, DomainEventType } from '../../../platform/events/domain-events';
import { recordCourse, recordCourseDeleted } from '../course/course.record';
import { recordActivity, recordEnrollmentState, recordProgress } from '../enrollment/enrollment.record';
import { recordAttendance, recordSession } from '../live-session/live-session.record';
import { recordPayment, recordRefund } from '../payment/payment.record';
import { recordQuizAttempt } from '../quiz/quiz.record';

/** The domain events analytics keeps facts from (its queues' bindings). */
export const COURSE_EVENTS = [
  'course.upserted',
  'course.deleted',
  'enrollment.created',
  'enrollment.dropped',
  'enrollment.removed',
  'lesson.completed',
  'quiz.submitted',
  'live.session.scheduled',
  'live.session.rescheduled',
  'live.session.started',
  'live.session.ended',
  'live.session.canceled',
  'live.attendance',
] as const satisfies readonly DomainEventType[];
export const BILLING_EVENTS = ['payment.succeeded', 'payment.refunded'] as const satisfies readonly DomainEventType[];

export type AnalyticsEvent = DomainEventOf<(typeof COURSE_EVENTS)[number] | (typeof BILLING_EVENTS)[number]>;

/** What a fact changed: the course whose aggregate to recompute, if any (the school's figures always may have). */
export interface Touched {
  courseId?: string;
  /** A live session whose dashboard may have changed. */
  sessionId?: string;
}

const at = (iso: string) => new Date(iso);

/**
 * Turns one domain event into facts, in the consumer's tenant-scoped transaction. Every record is
 * idempotent and order-free (see the *.record.ts files), so a redelivered, repeated or late event
 * leaves the facts as they were.
 */
export async function applyEvent(tx: EntityManager, event: AnalyticsEvent): Promise<Touched> {
  const school = event.tenantId;
  const occurredAt = at(event.occurredAt);
  switch (event.type) {
    case 'course.upserted': {
      const { courseId, teacherId, title, status } = (event as DomainEventOf<'course.upserted'>).payload;
      await recordCourse(tx, school, courseId, { teacherId, title, status }, occurredAt);
      return { courseId };
    }
    case 'course.deleted': {
      const { courseId, lessonId, quizId } = (event as DomainEventOf<'course.deleted'>).payload;
      // Lesson and quiz deletions share the payload; they are not about the course.
      if (lessonId || quizId) return {};
      await recordCourseDeleted(tx, school, courseId, occurredAt);
      return { courseId };
    }
    case 'enrollment.created': {
      const p = (event as DomainEventOf<'enrollment.created'>).payload;
      await recordEnrollmentState(tx, school, p, 'ACTIVE', occurredAt, at(p.enrolledAt));
      return { courseId: p.courseId };
    }
    case 'enrollment.dropped':
    case 'enrollment.removed': {
      const p = (event as DomainEventOf<'enrollment.dropped' | 'enrollment.removed'>).payload;
      await recordEnrollmentState(tx, school, p, event.type === 'enrollment.dropped' ? 'DROPPED' : 'REMOVED', occurredAt);
      return { courseId: p.courseId };
    }
    case 'lesson.completed': {
      const p = (event as DomainEventOf<'lesson.completed'>).payload;
      await recordProgress(tx, school, p, p.progress, at(p.completedAt));
      await recordActivity(tx, school, p.courseId, p.studentId, at(p.completedAt));
      return { courseId: p.courseId };
    }
    case 'quiz.submitted': {
      const p = (event as DomainEventOf<'quiz.submitted'>).payload;
      await recordQuizAttempt(tx, school, { ...p, submittedAt: at(p.submittedAt) });
      await recordActivity(tx, school, p.courseId, p.studentId, at(p.submittedAt));
      return { courseId: p.courseId };
    }
    case 'live.session.scheduled':
    case 'live.session.rescheduled': {
      const p = (event as DomainEventOf<'live.session.scheduled'>).payload;
      await recordSession(tx, school, { sessionId: p.sessionId, courseId: p.courseId, startsAt: at(p.startsAt) }, occurredAt);
      return { sessionId: p.sessionId };
    }
    case 'live.session.started': {
      const p = (event as DomainEventOf<'live.session.started'>).payload;
      await recordSession(tx, school, { sessionId: p.sessionId, courseId: p.courseId, startedAt: at(p.startedAt) }, occurredAt);
      return { sessionId: p.sessionId };
    }
    case 'live.session.ended': {
      const p = (event as DomainEventOf<'live.session.ended'>).payload;
      await recordSession(tx, school, { sessionId: p.sessionId, courseId: p.courseId, endedAt: at(p.endedAt) }, occurredAt);
      return { sessionId: p.sessionId };
    }
    case 'live.session.canceled': {
      const p = (event as DomainEventOf<'live.session.canceled'>).payload;
      await recordSession(tx, school, { sessionId: p.sessionId, courseId: p.courseId, canceledAt: at(p.canceledAt) }, occurredAt);
      return { sessionId: p.sessionId };
    }
    case 'live.attendance': {
      const p = (event as DomainEventOf<'live.attendance'>).payload;
      await recordAttendance(tx, school, p, occurredAt);
      if ((p.status === 'PRESENT' || p.status === 'LATE') && p.firstJoinedAt) {
        await recordActivity(tx, school, p.courseId, p.studentId, at(p.firstJoinedAt));
      }
      return { courseId: p.courseId };
    }
    case 'payment.succeeded': {
      const p = (event as DomainEventOf<'payment.succeeded'>).payload;
      await recordPayment(tx, school, { ...p, paidAt: at(p.paidAt) });
      return {};
    }
    case 'payment.refunded': {
      const p = (event as DomainEventOf<'payment.refunded'>).payload;
      await recordRefund(tx, school, { ...p, refundedAt: at(p.refundedAt) });
      return {};
    }
    default:
      // Not bound (see the bindings); acknowledged unchanged should a binding ever bring one.
      return {};
  }
}
