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
import type { RoleName } from '../auth/roles';
import type { DomainEvent, NewDomainEvent } from '../outbox/outbox';

/** A student was enrolled in a course (by themselves, a parent's payment or a school admin). */
export interface EnrollmentCreated {
  enrollmentId: string;
  courseId: string;
  studentId: string;
  enrolledAt: string;
  /**
   * True when courses re-sends an existing enrollment in answer to a `courses.backfill.requested`
   * (a consumer's read model is new or was lost): state to keep, not news to react to (no welcome).
   */
  backfill?: boolean;
}

/**
 * A course was created or changed (courses): the whole current state other subgraphs keep about
 * it (messaging: who teaches it, what it is called in messages). State, not a delta: keep the
 * event with the latest `occurredAt`. Also re-sent for every course on a `courses.backfill.requested`.
 */
export interface CourseUpserted {
  courseId: string;
  title: string;
  teacherId: string;
  status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
}

/**
 * An enrollment ended without being removed (courses): staff dropped the student, or the plan
 * subscription that made it expired. Its history stays; enrolling again sends `enrollment.created`.
 */
export interface EnrollmentDropped {
  enrollmentId: string;
  courseId: string;
  studentId: string;
  reason: 'STAFF' | 'SUBSCRIPTION_EXPIRED';
  droppedAt: string;
}

/**
 * A subgraph asks courses to send `course.upserted` for every course and `enrollment.created`
 * (with `backfill: true`) for every current enrollment of every school. Envelope `tenantId` =
 * `EVERY_SCHOOL`.
 */
export interface CoursesBackfillRequested {
  /** The requesting service, for the logs. */
  requestedBy: string;
}

/** Courses has recorded the whole backfill of one school (envelope `tenantId`) for request `requestId`. */
export interface CoursesBackfillCompleted {
  requestId: string;
  courses: number;
  enrollments: number;
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

/**
 * A lesson was added, edited (title, kind, duration, content) or moved by a reorder (courses:
 * `lesson.upserted`, one per lesson whose position changed). Adding one also makes the course's
 * COMPLETED enrollments ACTIVE again (progress is completed over all lessons). A delete records
 * `lesson.deleted` instead.
 */
export interface LessonUpserted {
  courseId: string;
  lessonId: string;
}

/** A student submitted a quiz attempt and it was graded. */
export interface QuizSubmitted {
  attemptId: string;
  quizId: string;
  courseId: string;
  studentId: string;
  score: number;
  maxScore: number;
  /** When it was graded: the submission, or the deadline of an attempt that ran out of time. */
  submittedAt: string;
  /**
   * True when the attempt was not submitted but ran out of time, and was graded on the answers
   * saved by then (absent otherwise). Recorded when the attempt is next read or touched, so it may
   * arrive some time after `submittedAt`.
   */
  timedOut?: boolean;
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

/** A scheduled live session was moved (its new times; the old ones for notices). */
export interface LiveSessionRescheduled {
  sessionId: string;
  courseId: string;
  title: string;
  startsAt: string;
  /** The new planned end, when there is one. */
  endsAt?: string;
  previousStartsAt: string;
  previousEndsAt?: string;
}

/** A scheduled live session was called off; it will not take place. */
export interface LiveSessionCanceled {
  sessionId: string;
  courseId: string;
  title: string;
  /** When it was to start. */
  startsAt: string;
  /** As the teacher wrote it; absent when none was given (or the course was deleted). */
  reason?: string;
  canceledAt: string;
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

/** A payment did not go through at its provider (billing): declined, or expired unpaid (a Fawry reference, a checkout link). */
export interface PaymentFailed {
  paymentId: string;
  payerId: string;
  studentId: string;
  planId?: string;
  subscriptionId?: string;
  amountPiasters: number;
  currency: 'EGP';
  provider: 'PAYMOB' | 'FAWRY';
  status: 'FAILED' | 'EXPIRED';
  failedAt: string;
}

/** Money went back to the payer (billing): one partial or full refund (or a same-day void) of a paid payment. */
export interface PaymentRefunded {
  paymentId: string;
  refundId: string;
  payerId: string;
  studentId: string;
  /** This refund. */
  amountPiasters: number;
  /** Every successful refund of the payment so far, this one included. */
  refundedPiasters: number;
  /** True once the whole payment is refunded. */
  full: boolean;
  currency: 'EGP';
  provider: 'PAYMOB' | 'FAWRY';
  reason?: string;
  refundedAt: string;
}

/**
 * A plan subscription ended (billing): its paid period (and grace) passed without a renewal, or it
 * was canceled and its paid period is over. Courses drops the enrollment the subscription made.
 */
export interface PlanSubscriptionExpired {
  subscriptionId: string;
  planId: string;
  /** The course the plan granted; absent for plans not tied to a course. */
  courseId?: string;
  studentId: string;
  expiredAt: string;
}

/** A school now sells a course (or the whole school) through a plan (billing): `plan.created`. */
export interface PlanCreated {
  planId: string;
  /** Absent for a school-wide plan. */
  courseId?: string;
  name: string;
  amountPiasters: number;
  currency: 'EGP';
  interval: 'MONTH' | 'TERM' | 'YEAR' | 'ONE_TIME';
}

/** A plan takes no new subscriptions any more (billing): `plan.archived`. */
export interface PlanArchived {
  planId: string;
  courseId?: string;
}

/** An invoice was issued for a paid payment (billing); billing renders its PDF from this event. */
export interface InvoiceIssued {
  invoiceId: string;
  paymentId: string;
  /** The school's invoice number, e.g. INV-000042 (consecutive per school). */
  number: string;
  payerId: string;
  studentId: string;
  totalPiasters: number;
  currency: 'EGP';
  issuedAt: string;
}

/**
 * A person of a school was created or changed (users): the whole current state of what other
 * subgraphs keep about people (courses: who may be enrolled, who may teach). Sent when a person is
 * created (invitation accepted, seed), when their roles, active state or name change, and again
 * for everyone on a `people.backfill.requested`. State, not a delta: a consumer keeps the event
 * with the latest `occurredAt` and may apply the same one twice.
 */
export interface UserUpserted {
  userId: string;
  roles: RoleName[];
  /** False once the person was deactivated: kept (history refers to them), but no longer a valid reference. */
  active: boolean;
  displayName?: string;
  /** Where messages reach the person (messaging); absent when they have none. */
  email?: string;
  /** E.164 (`+20…`), for SMS and WhatsApp; absent when they have none. */
  phone?: string;
  /** The person's language, `AR` or `EN`, for messages. */
  locale?: 'AR' | 'EN';
}

/**
 * A subgraph asks users to send `user.upserted` for every person of every school (its read model
 * of people is new or was lost). Sent with the envelope's `tenantId` = `EVERY_SCHOOL`.
 */
export interface PeopleBackfillRequested {
  /** The requesting service, for the logs. */
  requestedBy: string;
}

/**
 * Users has recorded `user.upserted` for all `people` of the school (envelope `tenantId`) in
 * answer to the request `requestId` (that request's event id). Recorded after them, so once a
 * consumer knows that many people of the school it has seen the whole backfill.
 */
export interface PeopleBackfillCompleted {
  requestId: string;
  people: number;
}

/**
 * An enrollment was removed (soft delete, courses): made by mistake (`STAFF`, `removeEnrollment`)
 * or naming someone who is not a student of the school (`UNKNOWN_STUDENT`, the clean-up after a
 * people backfill). Unlike a drop, it leaves no trace in rosters and counts.
 */
export interface EnrollmentRemoved {
  enrollmentId: string;
  courseId: string;
  studentId: string;
  reason: 'STAFF' | 'UNKNOWN_STUDENT';
  removedAt: string;
}

/**
 * Someone asked to reset the password of an account of the school (users): the single-use token,
 * valid until `expiresAt`, for the messaging subgraph to deliver to `email`. Nothing else ever
 * carries the token (the API answers `true` whether or not the account exists, and it is never
 * logged), so consumers must not log the payload either. Not sent for unknown or deactivated accounts.
 */
export interface PasswordResetRequested {
  userId: string;
  email: string;
  /** Secret: whoever holds it sets the password. */
  token: string;
  expiresAt: string;
  /** The person's language (`AR`, `EN`), for the message. */
  locale: string;
}

/**
 * A person's password was changed by themselves (`CHANGE`) or through a reset token (`RESET`)
 * (users); their other sessions were revoked. For a security notice to the person.
 */
export interface PasswordChanged {
  userId: string;
  via: 'CHANGE' | 'RESET';
  changedAt: string;
}

/**
 * An admin invited someone to join the school (users): the token for the messaging subgraph to
 * deliver to `email` (besides the inviter's own copy in the answer to `inviteUser`). Secret, like
 * a reset token: consumers must not log the payload.
 */
export interface InvitationCreated {
  invitationId: string;
  email: string;
  displayName: string;
  roles: RoleName[];
  /** Secret: whoever holds it creates the account. */
  token: string;
  invitedById: string;
  expiresAt: string;
}

/** An admin revoked a pending invitation (users): its token no longer works; a pending delivery can be dropped. */
export interface InvitationRevoked {
  invitationId: string;
  revokedById: string;
  revokedAt: string;
}

/**
 * A pairing code was created for a student (users), by the student or a school admin: the code,
 * for the messaging subgraph to deliver (besides the creator's copy in the answer). Secret until
 * redeemed or expired: consumers must not log the payload.
 */
export interface PairingCodeCreated {
  studentId: string;
  createdById: string;
  /** Secret: a parent who holds it follows the student. */
  code: string;
  expiresAt: string;
}

/**
 * Staff deleted a course, lesson or quiz (courses; soft delete: `course.deleted`, `lesson.deleted`,
 * `quiz.deleted`). It left every view; the history that refers to it (completions, attempts,
 * enrollments) is kept but no longer counts: a deleted lesson leaves the course's progress, a
 * deleted course the student's courses. `lessonId`/`quizId` are absent for a course.
 */
export interface CourseContentDeleted {
  courseId: string;
  lessonId?: string;
  quizId?: string;
  deletedBy: string;
  deletedAt: string;
}

/**
 * Someone asked for a report export (analytics `exportReport`): the job, recorded in the same
 * transaction as its `ReportJob` row, for analytics' report worker (queue `analytics.reports`),
 * which writes the CSV to file storage. The row is the truth (status, rows, file); the event only
 * wakes the worker, so a redelivery of it finds the job done and does nothing.
 */
export interface ReportRequested {
  jobId: string;
  kind: 'ENROLLMENTS' | 'ATTENDANCE' | 'QUIZ_RESULTS' | 'PAYMENTS';
  /** The window [from, to), ISO-8601 UTC. */
  from: string;
  to: string;
  requestedBy: string;
}

/**
 * The envelope `tenantId` of events about every school at once (`people.backfill.requested`):
 * the nil UUID, which no school has.
 */
export const EVERY_SCHOOL = '00000000-0000-0000-0000-000000000000';

/** Event type (routing key) → payload. */
export interface DomainEvents {
  'enrollment.created': EnrollmentCreated;
  'enrollment.removed': EnrollmentRemoved;
  'enrollment.dropped': EnrollmentDropped;
  'course.upserted': CourseUpserted;
  'courses.backfill.requested': CoursesBackfillRequested;
  'courses.backfill.completed': CoursesBackfillCompleted;
  'lesson.completed': LessonCompleted;
  'lesson.upserted': LessonUpserted;
  'quiz.submitted': QuizSubmitted;
  'live.session.scheduled': LiveSessionScheduled;
  'live.session.started': LiveSessionStarted;
  'live.session.ended': LiveSessionEnded;
  'live.session.rescheduled': LiveSessionRescheduled;
  'live.session.canceled': LiveSessionCanceled;
  'course.deleted': CourseContentDeleted;
  'lesson.deleted': CourseContentDeleted;
  'quiz.deleted': CourseContentDeleted;
  'live.attendance': LiveAttendance;
  'payment.succeeded': PaymentSucceeded;
  'plan.subscription.activated': PlanSubscriptionActivated;
  'plan.subscription.expired': PlanSubscriptionExpired;
  'plan.created': PlanCreated;
  'plan.archived': PlanArchived;
  'payment.failed': PaymentFailed;
  'payment.refunded': PaymentRefunded;
  'invoice.issued': InvoiceIssued;
  'guardian.linked': GuardianLinkChanged;
  'guardian.unlinked': GuardianLinkChanged;
  'user.upserted': UserUpserted;
  'people.backfill.requested': PeopleBackfillRequested;
  'people.backfill.completed': PeopleBackfillCompleted;
  'password.reset.requested': PasswordResetRequested;
  'password.changed': PasswordChanged;
  'invitation.created': InvitationCreated;
  'invitation.revoked': InvitationRevoked;
  'pairing.code.created': PairingCodeCreated;
  'report.requested': ReportRequested;
}

export type DomainEventType = keyof DomainEvents;

/** The envelope of one event type, as consumers receive it. */
export type DomainEventOf<T extends DomainEventType> = DomainEvent<DomainEvents[T]>;

/** Current schema version and owner-facing description of every event type. */
export const domainEventCatalog: { readonly [T in DomainEventType]: { version: number; description: string } } = {
  'enrollment.created': { version: 1, description: 'A student was enrolled in a course.' },
  'enrollment.removed': { version: 1, description: 'An enrollment was removed (made by mistake or naming no student of the school).' },
  'enrollment.dropped': { version: 1, description: 'An enrollment ended: staff dropped the student or its subscription expired.' },
  'course.upserted': { version: 1, description: 'A course was created or changed (whole state: title, teacher, status).' },
  'courses.backfill.requested': {
    version: 1,
    description: 'A subgraph asks courses to send course.upserted and enrollment.created (backfill) for everything.',
  },
  'courses.backfill.completed': { version: 1, description: "Courses sent a school's whole backfill after a request." },
  'lesson.completed': { version: 1, description: 'A student completed a lesson for the first time.' },
  'lesson.upserted': {
    version: 1,
    description: "A lesson was added, edited or moved; adding one reopens the course's completed enrollments.",
  },
  'quiz.submitted': { version: 1, description: 'A student submitted a quiz attempt and it was graded.' },
  'live.session.scheduled': { version: 1, description: 'A live session was scheduled for a course.' },
  'live.session.started': { version: 1, description: 'A live session started.' },
  'live.session.ended': { version: 1, description: 'A live session ended.' },
  'live.session.rescheduled': { version: 1, description: 'A scheduled live session was moved to new times.' },
  'live.session.canceled': { version: 1, description: 'A scheduled live session was canceled.' },
  'course.deleted': { version: 1, description: 'Staff deleted a course (soft delete: its history is kept).' },
  'lesson.deleted': { version: 1, description: "Staff deleted a lesson (soft delete): it no longer counts in the course's progress." },
  'quiz.deleted': { version: 1, description: 'Staff deleted a quiz (soft delete: its attempts are kept).' },
  'live.attendance': { version: 1, description: "A student's attendance of a live session was settled or changed." },
  'payment.succeeded': { version: 1, description: 'A payment was confirmed by its provider.' },
  'plan.subscription.activated': { version: 1, description: 'A plan subscription became active after its first payment.' },
  'plan.subscription.expired': { version: 1, description: 'A plan subscription ended: its paid period passed without renewal.' },
  'plan.created': { version: 1, description: 'A school sells a course (or the whole school) through a new plan.' },
  'plan.archived': { version: 1, description: 'A plan takes no new subscriptions.' },
  'payment.failed': { version: 1, description: 'A payment was declined or expired unpaid at its provider.' },
  'payment.refunded': { version: 1, description: 'A partial or full refund of a paid payment went through.' },
  'invoice.issued': { version: 1, description: 'An invoice was issued for a paid payment.' },
  'guardian.linked': { version: 1, description: 'A parent paired with a student and now follows them.' },
  'guardian.unlinked': { version: 1, description: 'A parent no longer follows a student.' },
  'user.upserted': {
    version: 1,
    description: 'A person was created, or their roles, active state, name or contact changed (whole state).',
  },
  'people.backfill.requested': { version: 1, description: 'A subgraph asks users to send user.upserted for every person.' },
  'people.backfill.completed': {
    version: 1,
    description: "Users sent user.upserted for all of a school's people after a backfill request.",
  },
  'password.reset.requested': { version: 1, description: 'A password reset was requested: the single-use token to deliver (secret).' },
  'password.changed': { version: 1, description: "A person's password was changed or reset; their other sessions were revoked." },
  'invitation.created': { version: 1, description: 'Someone was invited to join a school: the token to deliver (secret).' },
  'invitation.revoked': { version: 1, description: 'A pending invitation was revoked.' },
  'pairing.code.created': { version: 1, description: 'A pairing code was created for a student: the code to deliver (secret).' },
  'report.requested': { version: 1, description: 'Someone asked for a report export: the job for the report worker.' },
};

/** A type-checked event for `recordEvent`, at the catalog's current version. */
export function domainEvent<T extends DomainEventType>(
  type: T,
  tenantId: string,
  payload: DomainEvents[T],
): NewDomainEvent<DomainEvents[T]> {
  return { type, version: domainEventCatalog[type].version, tenantId, payload };
}
