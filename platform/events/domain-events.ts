/**
 * The catalog of domain events: every event any service publishes, with its payload and schema
 * version. Events travel to RabbitMQ through the transactional outbox (platform/outbox) inside a
 * `DomainEvent` envelope whose `tenantId` is the school id, so payloads do not repeat it. Times
 * are ISO-8601 UTC strings, money is integer piasters (EGP).
 *
 * Changing a payload incompatibly means a new `version` here (and consumers that read both for a
 * while); adding an optional field does not.
 *
 *   recordEvent(tx, domainEvent('enrollment.created', schoolId, { enrollmentId, courseId, studentId, enrolledAt }));
 *   broker.consume<DomainEventOf<'enrollment.created'>>('analytics.enrollments', handler, { bindings: ['enrollment.created'] });
 */
import type { DomainEvent, NewDomainEvent } from '../outbox/outbox';

/** A student was enrolled in a course (by themselves, a parent's payment or a school admin). */
export interface EnrollmentCreated {
  enrollmentId: string;
  courseId: string;
  studentId: string;
  enrolledAt: string;
}

/** A student completed a lesson for the first time. */
export interface LessonCompleted {
  lessonId: string;
  courseId: string;
  studentId: string;
  enrollmentId: string;
  /** The enrollment's progress after this lesson, 0..1. */
  progress: number;
  completedAt: string;
}

/** A student submitted a quiz attempt and it was graded. */
export interface QuizSubmitted {
  attemptId: string;
  quizId: string;
  courseId: string;
  studentId: string;
  score: number;
  maxScore: number;
  submittedAt: string;
}

/** A live session was put on a course's schedule. */
export interface LiveSessionScheduled {
  sessionId: string;
  courseId: string;
  title: string;
  startsAt: string;
  /** Planned end, when the teacher gave one. */
  endsAt?: string;
}

/** The teacher opened the live session's room. */
export interface LiveSessionStarted {
  sessionId: string;
  courseId: string;
  startedAt: string;
}

/** The live session ended; the final attendance follows as `live.attendance` events. */
export interface LiveSessionEnded {
  sessionId: string;
  courseId: string;
  endedAt: string;
}

/**
 * One student's attendance of one live session, settled when the session ends or changed later
 * (a teacher excuses a student). A later event for the same session and student supersedes an
 * earlier one: compare the envelopes' `occurredAt`.
 */
export interface LiveAttendance {
  sessionId: string;
  courseId: string;
  studentId: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'EXCUSED';
  /** Time spent in the room over all stays. */
  totalSeconds: number;
  firstJoinedAt?: string;
}

/** A payment was confirmed by its provider (billing; verified webhook or status query). */
export interface PaymentSucceeded {
  paymentId: string;
  /** The user who paid (usually a parent). */
  payerId: string;
  /** The student the payment is for. */
  studentId: string;
  planId?: string;
  subscriptionId?: string;
  amountPiasters: number;
  currency: 'EGP';
  provider: 'PAYMOB' | 'FAWRY';
  paidAt: string;
}

/**
 * A parent (guardian) now follows a student of the same school, or no longer does (users;
 * `guardian.linked` / `guardian.unlinked`). Other subgraphs keep a read model of the links.
 */
export interface GuardianLinkChanged {
  guardianId: string;
  studentId: string;
}

/**
 * A plan subscription became ACTIVE after its first successful payment (billing).
 * `payment.succeeded` alone does not say which course was bought (plans live in billing).
 */
export interface PlanSubscriptionActivated {
  subscriptionId: string;
  planId: string;
  /** The course the plan grants; absent for plans not tied to a course. */
  courseId?: string;
  studentId: string;
  payerId: string;
  activatedAt: string;
  currentPeriodEnd?: string;
}

/** Event type (routing key) → payload. */
export interface DomainEvents {
  'enrollment.created': EnrollmentCreated;
  'lesson.completed': LessonCompleted;
  'quiz.submitted': QuizSubmitted;
  'live.session.scheduled': LiveSessionScheduled;
  'live.session.started': LiveSessionStarted;
  'live.session.ended': LiveSessionEnded;
  'live.attendance': LiveAttendance;
  'payment.succeeded': PaymentSucceeded;
  'plan.subscription.activated': PlanSubscriptionActivated;
  'guardian.linked': GuardianLinkChanged;
  'guardian.unlinked': GuardianLinkChanged;
}

export type DomainEventType = keyof DomainEvents;

/** The envelope of one event type, as consumers receive it. */
export type DomainEventOf<T extends DomainEventType> = DomainEvent<DomainEvents[T]>;

/** Current schema version and owner-facing description of every event type. */
export const domainEventCatalog: { readonly [T in DomainEventType]: { version: number; description: string } } = {
  'enrollment.created': { version: 1, description: 'A student was enrolled in a course.' },
  'lesson.completed': { version: 1, description: 'A student completed a lesson for the first time.' },
  'quiz.submitted': { version: 1, description: 'A student submitted a quiz attempt and it was graded.' },
  'live.session.scheduled': { version: 1, description: 'A live session was scheduled for a course.' },
  'live.session.started': { version: 1, description: 'A live session started.' },
  'live.session.ended': { version: 1, description: 'A live session ended.' },
  'live.attendance': { version: 1, description: "A student's attendance of a live session was settled or changed." },
  'payment.succeeded': { version: 1, description: 'A payment was confirmed by its provider.' },
  'plan.subscription.activated': { version: 1, description: 'A plan subscription became active after its first payment.' },
  'guardian.linked': { version: 1, description: 'A parent paired with a student and now follows them.' },
  'guardian.unlinked': { version: 1, description: 'A parent no longer follows a student.' },
};

/** A type-checked event for `recordEvent`, at the catalog's current version. */
export function domainEvent<T extends DomainEventType>(
  type: T,
  tenantId: string,
  payload: DomainEvents[T],
): NewDomainEvent<DomainEvents[T]> {
  return { type, version: domainEventCatalog[type].version, tenantId, payload };
}
