/**
 * The facts export: what a source subgraph (courses, billing) knows about learning and money,
 * as its current state, for a consumer that must rebuild what it derived from the events (the
 * analytics aggregates after a new metric or a lost store). The events tell what changed; the
 * export tells what is, so a rebuild needs no event history.
 *
 *   GET /internal/facts            every school's facts
 *   GET /internal/facts?school=ID  one school's
 *
 * Signed like every internal call (platform/auth/internal-context.ts: the gateway's key, audience
 * the source subgraph), and only for a service's call: a context carrying a person is refused
 * (403), as the export crosses what any person may read. The body is NDJSON
 * (`application/x-ndjson`): one `Fact` per line, streamed in id order a page at a time, so an
 * export of any size holds one page in memory at each end. The last line is `{"fact":"end","count":N}`
 * (N = the facts before it): a reader that does not see it got a cut stream and must not use it.
 *
 * Times are ISO-8601 UTC strings; money is integer piasters (EGP).
 */

/** A course: who teaches it (its analytics are theirs to read) and whether it still exists. */
export interface CourseFact {
  fact: 'course';
  schoolId: string;
  courseId: string;
  teacherId: string;
  title: string;
  status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
  deleted: boolean;
}

/**
 * An enrollment as it is now. `ACTIVE` counts (it is what courses calls ACTIVE or COMPLETED);
 * `DROPPED` ended, `REMOVED` was a mistake. `progress` is the share of the course's lessons the
 * student completed, 0..1, as courses computes it now.
 */
export interface EnrollmentFact {
  fact: 'enrollment';
  schoolId: string;
  enrollmentId: string;
  courseId: string;
  studentId: string;
  enrolledAt: string;
  state: 'ACTIVE' | 'DROPPED' | 'REMOVED';
  progress: number;
}

/** A lesson a student completed (activity, for "active students"). */
export interface LessonCompletionFact {
  fact: 'lessonCompletion';
  schoolId: string;
  courseId: string;
  lessonId: string;
  studentId: string;
  completedAt: string;
}

/** A graded quiz attempt (submitted, or run out of time and graded). */
export interface QuizAttemptFact {
  fact: 'quizAttempt';
  schoolId: string;
  attemptId: string;
  quizId: string;
  courseId: string;
  studentId: string;
  score: number;
  maxScore: number;
  submittedAt: string;
}

/** A live session's schedule and what became of it. */
export interface LiveSessionFact {
  fact: 'liveSession';
  schoolId: string;
  sessionId: string;
  courseId: string;
  startsAt: string;
  startedAt?: string;
  endedAt?: string;
  canceledAt?: string;
}

/** A student's settled attendance of an ended live session. */
export interface AttendanceFact {
  fact: 'attendance';
  schoolId: string;
  sessionId: string;
  courseId: string;
  studentId: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'EXCUSED';
  totalSeconds: number;
  firstJoinedAt?: string;
}

/** A payment its provider confirmed (billing). Failed and pending payments are not facts. */
export interface PaymentFact {
  fact: 'payment';
  schoolId: string;
  paymentId: string;
  payerId: string;
  studentId: string;
  amountPiasters: number;
  provider: 'PAYMOB' | 'FAWRY';
  paidAt: string;
}

/** One successful refund (partial or full) of a paid payment (billing). */
export interface RefundFact {
  fact: 'refund';
  schoolId: string;
  refundId: string;
  paymentId: string;
  amountPiasters: number;
  refundedAt: string;
}

export type Fact =
  CourseFact | EnrollmentFact | LessonCompletionFact | QuizAttemptFact | LiveSessionFact | AttendanceFact | PaymentFact | RefundFact;

/** The closing line of an export: how many facts came before it. */
export interface FactsEnd {
  fact: 'end';
  count: number;
}

export const FACTS_PATH = '/internal/facts';
export const NDJSON = 'application/x-ndjson';
