/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The answer to one question, in the field its kind uses (see QuestionKind). */
export type AnswerInput = {
  booleanValue?: boolean | null | undefined;
  choices?: Array<number> | null | undefined;
  numericValue?: number | null | undefined;
  questionId: string | number;
  text?: string | null | undefined;
};

export type AttendanceStatus =
  /** Enrolled but never joined; filled in when the session ends. */
  | 'ABSENT'
  /** Set by the teacher or a school admin; kept whatever happens later. */
  | 'EXCUSED'
  /** First joined after the grace period. */
  | 'LATE'
  /** First joined within the grace period after the start (attendance.rules.ts). */
  | 'PRESENT';

export type CourseStatus =
  /** Read-only: no new enrollments, lessons or sessions; enrolled students keep their history. */
  | 'ARCHIVED'
  /** Visible to its teacher and school admins only. */
  | 'DRAFT'
  /** Visible to the whole school; students can be enrolled. */
  | 'PUBLISHED';

export type EnrollmentStatus =
  | 'ACTIVE'
  /** Every lesson is done; a lesson added later makes it ACTIVE again. */
  | 'COMPLETED'
  /** Removed by staff; history is kept and enrolling again reactivates it. */
  | 'DROPPED';

export type LessonKind =
  | 'DOCUMENT'
  | 'TEXT'
  | 'VIDEO';

export type LiveSessionEventKind =
  | 'CHAT_MESSAGE'
  | 'HAND_LOWERED'
  | 'HAND_RAISED'
  | 'PARTICIPANT_JOINED'
  | 'PARTICIPANT_LEFT'
  | 'POLL_ENDED'
  | 'POLL_RESPONSE'
  | 'POLL_STARTED'
  | 'REACTION'
  | 'SESSION_ENDED'
  | 'SESSION_STARTED';

export type LiveSessionStatus =
  /** Called off before it started (cancelLiveSession); it will not take place. */
  | 'CANCELED'
  | 'ENDED'
  | 'LIVE'
  | 'SCHEDULED';

export type Locale =
  | 'AR'
  | 'EN';

export type PaymentContactInput = {
  email?: string | null | undefined;
  /** Egyptian mobile number, e.g. 01012345678. */
  phone?: string | null | undefined;
};

export type PaymentMethod =
  /** A card on the provider’s hosted checkout page (Paymob unified checkout, Fawry express checkout). */
  | 'CARD'
  /** A Fawry reference number, paid in cash at any Fawry point before it expires. */
  | 'FAWRY_REFERENCE'
  /** A mobile wallet through Paymob. */
  | 'WALLET';

export type PaymentProvider =
  | 'FAWRY'
  | 'PAYMOB';

export type PaymentStatus =
  | 'EXPIRED'
  | 'FAILED'
  | 'PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED';

export type PlanInterval =
  /** One calendar month per payment. */
  | 'MONTH'
  /** Paid once; never expires. */
  | 'ONE_TIME'
  /** One school term (four calendar months) per payment. */
  | 'TERM'
  /** One year per payment. */
  | 'YEAR';

export type PlanSubscriptionStatus =
  /** Paid up to currentPeriodEnd. */
  | 'ACTIVE'
  /** Will not renew: access lasts until currentPeriodEnd (none when it was never paid). */
  | 'CANCELED'
  /** Ended: the student is no longer enrolled through it. A new payment starts it again. */
  | 'EXPIRED'
  /** The paid period ended; still enrolled during the grace days, until a renewal or expiry. */
  | 'PAST_DUE'
  /** Waiting for its first payment. */
  | 'PENDING';

export type QuestionKind =
  /** All-or-nothing: the chosen set must equal the right set; answer with `choices`. */
  | 'MULTIPLE_CHOICE'
  /** Right within ± tolerance; answer with `numericValue`. */
  | 'NUMERIC'
  /** Matches an accepted answer ignoring case, spaces and Arabic diacritics; answer with `text`. */
  | 'SHORT_ANSWER'
  /** Exactly one option is right; answer with `choices: [i]`. */
  | 'SINGLE_CHOICE'
  /** Answer with `booleanValue`. */
  | 'TRUE_FALSE';

export type QuizAttemptStatus =
  /** Ran out of time without a submission: graded on the answers saved by then (timedOut). It counts as an attempt. */
  | 'EXPIRED'
  | 'IN_PROGRESS'
  /** Submitted and graded. */
  | 'SUBMITTED';

export type Role =
  | 'PARENT'
  | 'PLATFORM_ADMIN'
  | 'SCHOOL_ADMIN'
  | 'STUDENT'
  | 'TEACHER';

export type ScheduleLiveSessionInput = {
  /** Planned end, after startsAt. */
  endsAt?: string | null | undefined;
  /** In the future. */
  startsAt: string;
  title: string;
};

export type SchoolNameQueryVariables = Exact<{ [key: string]: never; }>;


export type SchoolNameQuery = { school: { name: string } | null };

export type AnalyticsCourseQueryVariables = Exact<{
  courseId: string | number;
}>;


export type AnalyticsCourseQuery = { course: { id: string, title: string, analytics: { enrolledStudents: number, activeStudents7d: number, averageProgress: number, completionRate: number, averageQuizScore: number | null, attendanceRate: number | null } } | null };

export type AnalyticsCourseFiguresFragment = { enrolledStudents: number, activeStudents7d: number, averageProgress: number, completionRate: number, averageQuizScore: number | null, attendanceRate: number | null };

export type AnalyticsCourseLiveSubscriptionVariables = Exact<{
  courseId: string | number;
}>;


export type AnalyticsCourseLiveSubscription = { courseAnalytics: { enrolledStudents: number, activeStudents7d: number, averageProgress: number, completionRate: number, averageQuizScore: number | null, attendanceRate: number | null } };

export type AnalyticsSchoolFiguresFragment = { activeStudents7d: number, enrollments30d: number, liveSessionsToday: number, revenue30d: { amountPiasters: number, formatted: string } };

export type AnalyticsSchoolQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type AnalyticsSchoolQuery = { school: { id: string, name: string, analytics: { activeStudents7d: number, enrollments30d: number, liveSessionsToday: number, revenue30d: { amountPiasters: number, formatted: string } } } | null };

export type AnalyticsSchoolLiveSubscriptionVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type AnalyticsSchoolLiveSubscription = { schoolAnalytics: { activeStudents7d: number, enrollments30d: number, liveSessionsToday: number, revenue30d: { amountPiasters: number, formatted: string } } };

export type AnalyticsSessionFiguresFragment = { inRoomNow: number, peakInRoom: number, handsRaised: number, chatMessages: number, pollParticipation: number | null };

export type AnalyticsSessionQueryVariables = Exact<{
  sessionId: string | number;
}>;


export type AnalyticsSessionQuery = { liveSession: { id: string, analytics: { inRoomNow: number, peakInRoom: number, handsRaised: number, chatMessages: number, pollParticipation: number | null } } | null };

export type AnalyticsSessionLiveSubscriptionVariables = Exact<{
  sessionId: string | number;
}>;


export type AnalyticsSessionLiveSubscription = { liveSessionAnalytics: { inRoomNow: number, peakInRoom: number, handsRaised: number, chatMessages: number, pollParticipation: number | null } };

export type BillingOverviewQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type BillingOverviewQuery = { me: { id: string, displayName: string, roles: Array<Role>, children: Array<{ id: string, displayName: string, planSubscriptions: Array<{ id: string, status: PlanSubscriptionStatus, currentPeriodEnd: string | null, plan: { id: string, name: string }, student: { id: string, displayName: string } }> }>, planSubscriptions: Array<{ id: string, status: PlanSubscriptionStatus, currentPeriodEnd: string | null, plan: { id: string, name: string }, student: { id: string, displayName: string } }> } | null, plans: Array<{ id: string, name: string, interval: PlanInterval, price: { formatted: string }, course: { id: string, title: string } | null }> };

export type BillingSubscriptionFieldsFragment = { id: string, status: PlanSubscriptionStatus, currentPeriodEnd: string | null, plan: { id: string, name: string }, student: { id: string, displayName: string } };

export type BillingPaymentsQueryVariables = Exact<{
  locale?: Locale | null | undefined;
  after?: string | null | undefined;
}>;


export type BillingPaymentsQuery = { me: { id: string, payments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, provider: PaymentProvider, method: PaymentMethod, status: PaymentStatus, createdAt: string, checkoutUrl: string | null, fawryReferenceNumber: string | null, expiresAt: string | null, amount: { amountPiasters: number, formatted: string }, refundedAmount: { amountPiasters: number, formatted: string }, invoice: { id: string, number: string, pdfUrl: string } | null, subscription: { id: string, plan: { id: string, name: string } }, student: { id: string, displayName: string } } }> } } | null };

export type BillingSubscribeMutationVariables = Exact<{
  planId: string | number;
  studentId: string | number;
  provider: PaymentProvider;
  method: PaymentMethod;
  contact?: PaymentContactInput | null | undefined;
  locale?: Locale | null | undefined;
}>;


export type BillingSubscribeMutation = { subscribe: { id: string, provider: PaymentProvider, method: PaymentMethod, status: PaymentStatus, checkoutUrl: string | null, fawryReferenceNumber: string | null, expiresAt: string | null, amount: { formatted: string } } };

export type BillingCancelSubscriptionMutationVariables = Exact<{
  id: string | number;
}>;


export type BillingCancelSubscriptionMutation = { cancelPlanSubscription: { id: string, status: PlanSubscriptionStatus, currentPeriodEnd: string | null } };

export type BillingPaymentAmountQueryVariables = Exact<{
  id: string | number;
  locale?: Locale | null | undefined;
}>;


export type BillingPaymentAmountQuery = { payment: { id: string, amount: { formatted: string } } | null };

export type ClassroomSessionQueryVariables = Exact<{
  id: string | number;
}>;


export type ClassroomSessionQuery = { liveSession: { id: string, title: string, status: LiveSessionStatus, startsAt: string, startedAt: string | null, endedAt: string | null, course: { id: string, title: string, teacher: { id: string } }, participants: Array<{ id: string, displayName: string }>, raisedHands: Array<{ id: string, displayName: string }>, polls: Array<{ id: string, question: string, options: Array<string>, closed: boolean, counts: Array<number> | null, myVote: number | null }> } | null };

export type ClassroomAttendanceQueryVariables = Exact<{
  id: string | number;
}>;


export type ClassroomAttendanceQuery = { liveSession: { id: string, attendance: Array<{ status: AttendanceStatus, firstJoinedAt: string | null, totalSeconds: number, student: { id: string, displayName: string } }> } | null };

export type ClassroomEventsSubscriptionVariables = Exact<{
  sessionId: string | number;
  after?: string | number | null | undefined;
}>;


export type ClassroomEventsSubscription = { liveSessionEvents: { id: string, kind: LiveSessionEventKind, at: string, text: string | null, actor: { id: string, displayName: string } | null, subject: { id: string, displayName: string } | null, poll: { id: string, question: string, options: Array<string>, closed: boolean, counts: Array<number> | null } | null } };

export type ClassroomJoinMutationVariables = Exact<{
  id: string | number;
}>;


export type ClassroomJoinMutation = { joinLiveSession: { id: string, status: LiveSessionStatus } };

export type ClassroomLeaveMutationVariables = Exact<{
  id: string | number;
}>;


export type ClassroomLeaveMutation = { leaveLiveSession: { id: string } };

export type ClassroomStartMutationVariables = Exact<{
  id: string | number;
}>;


export type ClassroomStartMutation = { startLiveSession: { id: string, status: LiveSessionStatus } };

export type ClassroomEndMutationVariables = Exact<{
  id: string | number;
}>;


export type ClassroomEndMutation = { endLiveSession: { id: string, status: LiveSessionStatus } };

export type ClassroomChatMutationVariables = Exact<{
  sessionId: string | number;
  text: string;
}>;


export type ClassroomChatMutation = { sendLiveChat: { id: string } };

export type ClassroomReactMutationVariables = Exact<{
  sessionId: string | number;
  emoji: string;
}>;


export type ClassroomReactMutation = { sendReaction: { id: string } };

export type ClassroomRaiseHandMutationVariables = Exact<{
  sessionId: string | number;
}>;


export type ClassroomRaiseHandMutation = { raiseHand: { id: string } };

export type ClassroomLowerHandMutationVariables = Exact<{
  sessionId: string | number;
  userId?: string | number | null | undefined;
}>;


export type ClassroomLowerHandMutation = { lowerHand: { id: string } };

export type ClassroomStartPollMutationVariables = Exact<{
  sessionId: string | number;
  question: string;
  options: Array<string> | string;
}>;


export type ClassroomStartPollMutation = { startPoll: { id: string } };

export type ClassroomVoteMutationVariables = Exact<{
  pollId: string | number;
  option: number;
}>;


export type ClassroomVoteMutation = { votePoll: { id: string, myVote: number | null } };

export type ClassroomEndPollMutationVariables = Exact<{
  pollId: string | number;
}>;


export type ClassroomEndPollMutation = { endPoll: { id: string, closed: boolean, counts: Array<number> | null } };

export type MessagingConversationsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MessagingConversationsQuery = { me: { id: string } | null, conversations: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, subject: string, unreadCount: number, updatedAt: string, participants: Array<{ id: string, displayName: string }>, student: { id: string, displayName: string } | null, lastMessage: { id: string, body: string, sender: { id: string, displayName: string } } | null } }> } };

export type MessagingMessageFieldsFragment = { id: string, body: string, sentAt: string, sender: { id: string, displayName: string } };

export type MessagingConversationQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type MessagingConversationQuery = { me: { id: string } | null, conversation: { id: string, subject: string, participants: Array<{ id: string, displayName: string }>, student: { id: string, displayName: string } | null, messages: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, body: string, sentAt: string, sender: { id: string, displayName: string } } }> } } | null };

export type MessagingSendMutationVariables = Exact<{
  conversationId: string | number;
  body: string;
}>;


export type MessagingSendMutation = { sendMessage: { id: string, body: string, sentAt: string, sender: { id: string, displayName: string } } };

export type MessagingMarkReadMutationVariables = Exact<{
  id: string | number;
}>;


export type MessagingMarkReadMutation = { markConversationRead: { id: string, unreadCount: number } };

export type MessagingMessageAddedSubscriptionVariables = Exact<{
  conversationId: string | number;
  after?: string | number | null | undefined;
}>;


export type MessagingMessageAddedSubscription = { messageAdded: { id: string, body: string, sentAt: string, sender: { id: string, displayName: string } } };

export type MessagingStartMutationVariables = Exact<{
  participantIds: Array<string | number> | string | number;
  subject: string;
  body: string;
  studentId?: string | number | null | undefined;
}>;


export type MessagingStartMutation = { startConversation: { id: string } };

export type MessagingParentRecipientsQueryVariables = Exact<{ [key: string]: never; }>;


export type MessagingParentRecipientsQuery = { me: { id: string, children: Array<{ id: string, displayName: string, enrollments: Array<{ id: string, status: EnrollmentStatus, course: { id: string, title: string, teacher: { id: string, displayName: string } } }> }> } | null };

export type MessagingTeacherRecipientsQueryVariables = Exact<{ [key: string]: never; }>;


export type MessagingTeacherRecipientsQuery = { me: { id: string, teachingCourses: Array<{ id: string, title: string, enrollments: { edges: Array<{ node: { id: string, status: EnrollmentStatus, student: { id: string, displayName: string, guardians: Array<{ id: string, displayName: string }> } } }> } }> } | null };

export type MessagingAdminRecipientsQueryVariables = Exact<{ [key: string]: never; }>;


export type MessagingAdminRecipientsQuery = { me: { id: string } | null, users: { edges: Array<{ node: { id: string, displayName: string, roles: Array<Role> } }> } };

export type MessagingNotificationReceivedSubscriptionVariables = Exact<{
  after?: string | number | null | undefined;
}>;


export type MessagingNotificationReceivedSubscription = { notificationReceived: { id: string, title: string | null, body: string | null, category: string } };

export type ParentChildrenQueryVariables = Exact<{ [key: string]: never; }>;


export type ParentChildrenQuery = { me: { id: string, children: Array<{ id: string, displayName: string, enrollments: Array<{ id: string, status: EnrollmentStatus, progress: number }> }> } | null };

export type ParentChildQueryVariables = Exact<{
  id: string | number;
}>;


export type ParentChildQuery = { me: { id: string, children: Array<{ id: string }> } | null, user: { id: string, displayName: string, enrollments: Array<{ id: string, status: EnrollmentStatus, progress: number, enrolledAt: string, completedAt: string | null, course: { id: string, title: string }, attendance: Array<{ status: AttendanceStatus, firstJoinedAt: string | null, totalSeconds: number, session: { id: string, title: string, startsAt: string, status: LiveSessionStatus } }>, quizAttempts: Array<{ id: string, number: number, status: QuizAttemptStatus, score: number | null, maxScore: number, passed: boolean | null, submittedAt: string | null, quiz: { id: string, title: string } }> }> } | null };

export type ParentChildSubscriptionsQueryVariables = Exact<{
  id: string | number;
}>;


export type ParentChildSubscriptionsQuery = { user: { id: string, planSubscriptions: Array<{ id: string, status: PlanSubscriptionStatus, currentPeriodEnd: string | null, plan: { id: string, name: string, price: { formatted: string } } }> } | null };

export type ParentPairWithCodeMutationVariables = Exact<{
  code: string;
}>;


export type ParentPairWithCodeMutation = { pairWithCode: { id: string, displayName: string } };

export type StudentSaveAnswerMutationVariables = Exact<{
  attemptId: string | number;
  answer: AnswerInput;
}>;


export type StudentSaveAnswerMutation = { saveQuizAnswer: { id: string, lastSavedAt: string | null } };

export type StudentSubmitAttemptMutationVariables = Exact<{
  attemptId: string | number;
  answers: Array<AnswerInput> | AnswerInput;
}>;


export type StudentSubmitAttemptMutation = { submitQuizAttempt: { id: string, status: QuizAttemptStatus } };

export type StudentAttemptQueryVariables = Exact<{
  id: string | number;
}>;


export type StudentAttemptQuery = { quizAttempt: { id: string, number: number, status: QuizAttemptStatus, startedAt: string, deadline: string | null, submittedAt: string | null, timedOut: boolean, lastSavedAt: string | null, score: number | null, maxScore: number, passed: boolean | null, quiz: { id: string, title: string, passingScore: number | null, solutionsRevealed: boolean, course: { id: string }, questions: Array<{ id: string, position: number, kind: QuestionKind, prompt: string, options: Array<string> | null, points: number, solution: { choices: Array<number> | null, booleanValue: boolean | null, numericValue: number | null, tolerance: number | null, acceptedAnswers: Array<string> | null } | null }> }, answers: Array<{ id: string, choices: Array<number> | null, booleanValue: boolean | null, numericValue: number | null, text: string | null, correct: boolean | null, pointsAwarded: number | null, question: { id: string }, solution: { choices: Array<number> | null, booleanValue: boolean | null, numericValue: number | null, tolerance: number | null, acceptedAnswers: Array<string> | null } | null }> } | null };

export type StudentCourseQueryVariables = Exact<{
  id: string | number;
}>;


export type StudentCourseQuery = { course: { id: string, title: string, description: string | null, teacher: { id: string, displayName: string }, enrollments: { edges: Array<{ node: { id: string, status: EnrollmentStatus, progress: number } }> }, lessons: Array<{ id: string, title: string, position: number, kind: LessonKind, durationSeconds: number | null, completed: boolean }>, quizzes: Array<{ id: string, title: string, timeLimitSeconds: number | null, maxAttempts: number | null, dueAt: string | null, totalPoints: number, questions: Array<{ id: string }> }>, liveSessions: Array<{ id: string, title: string, startsAt: string, status: LiveSessionStatus }> } | null };

export type StudentCompleteLessonMutationVariables = Exact<{
  lessonId: string | number;
}>;


export type StudentCompleteLessonMutation = { completeLesson: { id: string, status: EnrollmentStatus, progress: number } };

export type StudentCoursesQueryVariables = Exact<{ [key: string]: never; }>;


export type StudentCoursesQuery = { me: { id: string, enrollments: Array<{ id: string, status: EnrollmentStatus, progress: number, course: { id: string, title: string, teacher: { id: string, displayName: string } } }> } | null };

export type StudentQuizQueryVariables = Exact<{
  id: string | number;
}>;


export type StudentQuizQuery = { quiz: { id: string, title: string, timeLimitSeconds: number | null, maxAttempts: number | null, dueAt: string | null, totalPoints: number, course: { id: string, title: string }, questions: Array<{ id: string }>, attempts: Array<{ id: string, number: number, status: QuizAttemptStatus, startedAt: string, score: number | null, maxScore: number, passed: boolean | null }> } | null };

export type StudentStartAttemptMutationVariables = Exact<{
  quizId: string | number;
}>;


export type StudentStartAttemptMutation = { startQuizAttempt: { id: string } };

export type TeacherCourseRosterQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type TeacherCourseRosterQuery = { course: { id: string, enrollments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: EnrollmentStatus, progress: number, student: { id: string, displayName: string } } }> } } | null };

export type TeacherScheduleSessionMutationVariables = Exact<{
  courseId: string | number;
  input: ScheduleLiveSessionInput;
}>;


export type TeacherScheduleSessionMutation = { scheduleLiveSession: { id: string, title: string } };

export type TeacherSessionAttendanceQueryVariables = Exact<{
  id: string | number;
}>;


export type TeacherSessionAttendanceQuery = { liveSession: { id: string, attendance: Array<{ status: AttendanceStatus, firstJoinedAt: string | null, totalSeconds: number, student: { id: string, displayName: string } }> } | null };

export type TeacherCourseQueryVariables = Exact<{
  id: string | number;
}>;


export type TeacherCourseQuery = { course: { id: string, title: string, status: CourseStatus, enrollmentCount: number, liveSessions: Array<{ id: string, title: string, startsAt: string, status: LiveSessionStatus }> } | null };

export type TeacherStartSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type TeacherStartSessionMutation = { startLiveSession: { id: string, status: LiveSessionStatus } };

export type TeacherEndSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type TeacherEndSessionMutation = { endLiveSession: { id: string, status: LiveSessionStatus } };

export type TeacherCoursesQueryVariables = Exact<{ [key: string]: never; }>;


export type TeacherCoursesQuery = { me: { id: string, teachingCourses: Array<{ id: string, title: string, status: CourseStatus, enrollmentCount: number }> } | null };

export type TeacherSchoolCoursesQueryVariables = Exact<{ [key: string]: never; }>;


export type TeacherSchoolCoursesQuery = { courses: { totalCount: number, edges: Array<{ node: { id: string, title: string, status: CourseStatus, enrollmentCount: number, teacher: { id: string, displayName: string } } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AnalyticsCourseFiguresFragmentDoc = new TypedDocumentString(`
    fragment AnalyticsCourseFigures on CourseAnalytics {
  enrolledStudents
  activeStudents7d
  averageProgress
  completionRate
  averageQuizScore
  attendanceRate
}
    `, {"fragmentName":"AnalyticsCourseFigures"}) as unknown as TypedDocumentString<AnalyticsCourseFiguresFragment, unknown>;
export const AnalyticsSchoolFiguresFragmentDoc = new TypedDocumentString(`
    fragment AnalyticsSchoolFigures on SchoolAnalytics {
  activeStudents7d
  enrollments30d
  liveSessionsToday
  revenue30d {
    amountPiasters
    formatted(locale: $locale)
  }
}
    `, {"fragmentName":"AnalyticsSchoolFigures"}) as unknown as TypedDocumentString<AnalyticsSchoolFiguresFragment, unknown>;
export const AnalyticsSessionFiguresFragmentDoc = new TypedDocumentString(`
    fragment AnalyticsSessionFigures on LiveSessionAnalytics {
  inRoomNow
  peakInRoom
  handsRaised
  chatMessages
  pollParticipation
}
    `, {"fragmentName":"AnalyticsSessionFigures"}) as unknown as TypedDocumentString<AnalyticsSessionFiguresFragment, unknown>;
export const BillingSubscriptionFieldsFragmentDoc = new TypedDocumentString(`
    fragment BillingSubscriptionFields on PlanSubscription {
  id
  status
  currentPeriodEnd
  plan {
    id
    name
  }
  student {
    id
    displayName
  }
}
    `, {"fragmentName":"BillingSubscriptionFields"}) as unknown as TypedDocumentString<BillingSubscriptionFieldsFragment, unknown>;
export const MessagingMessageFieldsFragmentDoc = new TypedDocumentString(`
    fragment MessagingMessageFields on Message {
  id
  body
  sentAt
  sender {
    id
    displayName
  }
}
    `, {"fragmentName":"MessagingMessageFields"}) as unknown as TypedDocumentString<MessagingMessageFieldsFragment, unknown>;
export const SchoolNameDocument = new TypedDocumentString(`
    query SchoolName {
  school {
    name
  }
}
    `) as unknown as TypedDocumentString<SchoolNameQuery, SchoolNameQueryVariables>;
export const AnalyticsCourseDocument = new TypedDocumentString(`
    query AnalyticsCourse($courseId: ID!) {
  course(id: $courseId) {
    id
    title
    analytics {
      ...AnalyticsCourseFigures
    }
  }
}
    fragment AnalyticsCourseFigures on CourseAnalytics {
  enrolledStudents
  activeStudents7d
  averageProgress
  completionRate
  averageQuizScore
  attendanceRate
}`) as unknown as TypedDocumentString<AnalyticsCourseQuery, AnalyticsCourseQueryVariables>;
export const AnalyticsCourseLiveDocument = new TypedDocumentString(`
    subscription AnalyticsCourseLive($courseId: ID!) {
  courseAnalytics(courseId: $courseId) {
    ...AnalyticsCourseFigures
  }
}
    fragment AnalyticsCourseFigures on CourseAnalytics {
  enrolledStudents
  activeStudents7d
  averageProgress
  completionRate
  averageQuizScore
  attendanceRate
}`) as unknown as TypedDocumentString<AnalyticsCourseLiveSubscription, AnalyticsCourseLiveSubscriptionVariables>;
export const AnalyticsSchoolDocument = new TypedDocumentString(`
    query AnalyticsSchool($locale: Locale) {
  school {
    id
    name
    analytics {
      ...AnalyticsSchoolFigures
    }
  }
}
    fragment AnalyticsSchoolFigures on SchoolAnalytics {
  activeStudents7d
  enrollments30d
  liveSessionsToday
  revenue30d {
    amountPiasters
    formatted(locale: $locale)
  }
}`) as unknown as TypedDocumentString<AnalyticsSchoolQuery, AnalyticsSchoolQueryVariables>;
export const AnalyticsSchoolLiveDocument = new TypedDocumentString(`
    subscription AnalyticsSchoolLive($locale: Locale) {
  schoolAnalytics {
    ...AnalyticsSchoolFigures
  }
}
    fragment AnalyticsSchoolFigures on SchoolAnalytics {
  activeStudents7d
  enrollments30d
  liveSessionsToday
  revenue30d {
    amountPiasters
    formatted(locale: $locale)
  }
}`) as unknown as TypedDocumentString<AnalyticsSchoolLiveSubscription, AnalyticsSchoolLiveSubscriptionVariables>;
export const AnalyticsSessionDocument = new TypedDocumentString(`
    query AnalyticsSession($sessionId: ID!) {
  liveSession(id: $sessionId) {
    id
    analytics {
      ...AnalyticsSessionFigures
    }
  }
}
    fragment AnalyticsSessionFigures on LiveSessionAnalytics {
  inRoomNow
  peakInRoom
  handsRaised
  chatMessages
  pollParticipation
}`) as unknown as TypedDocumentString<AnalyticsSessionQuery, AnalyticsSessionQueryVariables>;
export const AnalyticsSessionLiveDocument = new TypedDocumentString(`
    subscription AnalyticsSessionLive($sessionId: ID!) {
  liveSessionAnalytics(sessionId: $sessionId) {
    ...AnalyticsSessionFigures
  }
}
    fragment AnalyticsSessionFigures on LiveSessionAnalytics {
  inRoomNow
  peakInRoom
  handsRaised
  chatMessages
  pollParticipation
}`) as unknown as TypedDocumentString<AnalyticsSessionLiveSubscription, AnalyticsSessionLiveSubscriptionVariables>;
export const BillingOverviewDocument = new TypedDocumentString(`
    query BillingOverview($locale: Locale) {
  me {
    id
    displayName
    roles
    children {
      id
      displayName
      planSubscriptions {
        ...BillingSubscriptionFields
      }
    }
    planSubscriptions {
      ...BillingSubscriptionFields
    }
  }
  plans {
    id
    name
    interval
    price {
      formatted(locale: $locale)
    }
    course {
      id
      title
    }
  }
}
    fragment BillingSubscriptionFields on PlanSubscription {
  id
  status
  currentPeriodEnd
  plan {
    id
    name
  }
  student {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<BillingOverviewQuery, BillingOverviewQueryVariables>;
export const BillingPaymentsDocument = new TypedDocumentString(`
    query BillingPayments($locale: Locale, $after: String) {
  me {
    id
    payments(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          provider
          method
          status
          createdAt
          checkoutUrl
          fawryReferenceNumber
          expiresAt
          amount {
            amountPiasters
            formatted(locale: $locale)
          }
          refundedAmount {
            amountPiasters
            formatted(locale: $locale)
          }
          invoice {
            id
            number
            pdfUrl
          }
          subscription {
            id
            plan {
              id
              name
            }
          }
          student {
            id
            displayName
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BillingPaymentsQuery, BillingPaymentsQueryVariables>;
export const BillingSubscribeDocument = new TypedDocumentString(`
    mutation BillingSubscribe($planId: ID!, $studentId: ID!, $provider: PaymentProvider!, $method: PaymentMethod!, $contact: PaymentContactInput, $locale: Locale) {
  subscribe(
    planId: $planId
    studentId: $studentId
    provider: $provider
    method: $method
    contact: $contact
  ) {
    id
    provider
    method
    status
    checkoutUrl
    fawryReferenceNumber
    expiresAt
    amount {
      formatted(locale: $locale)
    }
  }
}
    `) as unknown as TypedDocumentString<BillingSubscribeMutation, BillingSubscribeMutationVariables>;
export const BillingCancelSubscriptionDocument = new TypedDocumentString(`
    mutation BillingCancelSubscription($id: ID!) {
  cancelPlanSubscription(id: $id) {
    id
    status
    currentPeriodEnd
  }
}
    `) as unknown as TypedDocumentString<BillingCancelSubscriptionMutation, BillingCancelSubscriptionMutationVariables>;
export const BillingPaymentAmountDocument = new TypedDocumentString(`
    query BillingPaymentAmount($id: ID!, $locale: Locale) {
  payment(id: $id) {
    id
    amount {
      formatted(locale: $locale)
    }
  }
}
    `) as unknown as TypedDocumentString<BillingPaymentAmountQuery, BillingPaymentAmountQueryVariables>;
export const ClassroomSessionDocument = new TypedDocumentString(`
    query ClassroomSession($id: ID!) {
  liveSession(id: $id) {
    id
    title
    status
    startsAt
    startedAt
    endedAt
    course {
      id
      title
      teacher {
        id
      }
    }
    participants {
      id
      displayName
    }
    raisedHands {
      id
      displayName
    }
    polls {
      id
      question
      options
      closed
      counts
      myVote
    }
  }
}
    `) as unknown as TypedDocumentString<ClassroomSessionQuery, ClassroomSessionQueryVariables>;
export const ClassroomAttendanceDocument = new TypedDocumentString(`
    query ClassroomAttendance($id: ID!) {
  liveSession(id: $id) {
    id
    attendance {
      status
      firstJoinedAt
      totalSeconds
      student {
        id
        displayName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClassroomAttendanceQuery, ClassroomAttendanceQueryVariables>;
export const ClassroomEventsDocument = new TypedDocumentString(`
    subscription ClassroomEvents($sessionId: ID!, $after: ID) {
  liveSessionEvents(sessionId: $sessionId, after: $after) {
    id
    kind
    at
    text
    actor {
      id
      displayName
    }
    subject {
      id
      displayName
    }
    poll {
      id
      question
      options
      closed
      counts
    }
  }
}
    `) as unknown as TypedDocumentString<ClassroomEventsSubscription, ClassroomEventsSubscriptionVariables>;
export const ClassroomJoinDocument = new TypedDocumentString(`
    mutation ClassroomJoin($id: ID!) {
  joinLiveSession(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ClassroomJoinMutation, ClassroomJoinMutationVariables>;
export const ClassroomLeaveDocument = new TypedDocumentString(`
    mutation ClassroomLeave($id: ID!) {
  leaveLiveSession(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomLeaveMutation, ClassroomLeaveMutationVariables>;
export const ClassroomStartDocument = new TypedDocumentString(`
    mutation ClassroomStart($id: ID!) {
  startLiveSession(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ClassroomStartMutation, ClassroomStartMutationVariables>;
export const ClassroomEndDocument = new TypedDocumentString(`
    mutation ClassroomEnd($id: ID!) {
  endLiveSession(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ClassroomEndMutation, ClassroomEndMutationVariables>;
export const ClassroomChatDocument = new TypedDocumentString(`
    mutation ClassroomChat($sessionId: ID!, $text: String!) {
  sendLiveChat(sessionId: $sessionId, text: $text) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomChatMutation, ClassroomChatMutationVariables>;
export const ClassroomReactDocument = new TypedDocumentString(`
    mutation ClassroomReact($sessionId: ID!, $emoji: String!) {
  sendReaction(sessionId: $sessionId, emoji: $emoji) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomReactMutation, ClassroomReactMutationVariables>;
export const ClassroomRaiseHandDocument = new TypedDocumentString(`
    mutation ClassroomRaiseHand($sessionId: ID!) {
  raiseHand(sessionId: $sessionId) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomRaiseHandMutation, ClassroomRaiseHandMutationVariables>;
export const ClassroomLowerHandDocument = new TypedDocumentString(`
    mutation ClassroomLowerHand($sessionId: ID!, $userId: ID) {
  lowerHand(sessionId: $sessionId, userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomLowerHandMutation, ClassroomLowerHandMutationVariables>;
export const ClassroomStartPollDocument = new TypedDocumentString(`
    mutation ClassroomStartPoll($sessionId: ID!, $question: String!, $options: [String!]!) {
  startPoll(sessionId: $sessionId, question: $question, options: $options) {
    id
  }
}
    `) as unknown as TypedDocumentString<ClassroomStartPollMutation, ClassroomStartPollMutationVariables>;
export const ClassroomVoteDocument = new TypedDocumentString(`
    mutation ClassroomVote($pollId: ID!, $option: Int!) {
  votePoll(pollId: $pollId, option: $option) {
    id
    myVote
  }
}
    `) as unknown as TypedDocumentString<ClassroomVoteMutation, ClassroomVoteMutationVariables>;
export const ClassroomEndPollDocument = new TypedDocumentString(`
    mutation ClassroomEndPoll($pollId: ID!) {
  endPoll(pollId: $pollId) {
    id
    closed
    counts
  }
}
    `) as unknown as TypedDocumentString<ClassroomEndPollMutation, ClassroomEndPollMutationVariables>;
export const MessagingConversationsDocument = new TypedDocumentString(`
    query MessagingConversations($after: String) {
  me {
    id
  }
  conversations(first: 30, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        subject
        unreadCount
        updatedAt
        participants {
          id
          displayName
        }
        student {
          id
          displayName
        }
        lastMessage {
          id
          body
          sender {
            id
            displayName
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MessagingConversationsQuery, MessagingConversationsQueryVariables>;
export const MessagingConversationDocument = new TypedDocumentString(`
    query MessagingConversation($id: ID!, $after: String) {
  me {
    id
  }
  conversation(id: $id) {
    id
    subject
    participants {
      id
      displayName
    }
    student {
      id
      displayName
    }
    messages(first: 20, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...MessagingMessageFields
        }
      }
    }
  }
}
    fragment MessagingMessageFields on Message {
  id
  body
  sentAt
  sender {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<MessagingConversationQuery, MessagingConversationQueryVariables>;
export const MessagingSendDocument = new TypedDocumentString(`
    mutation MessagingSend($conversationId: ID!, $body: String!) {
  sendMessage(conversationId: $conversationId, body: $body) {
    ...MessagingMessageFields
  }
}
    fragment MessagingMessageFields on Message {
  id
  body
  sentAt
  sender {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<MessagingSendMutation, MessagingSendMutationVariables>;
export const MessagingMarkReadDocument = new TypedDocumentString(`
    mutation MessagingMarkRead($id: ID!) {
  markConversationRead(id: $id) {
    id
    unreadCount
  }
}
    `) as unknown as TypedDocumentString<MessagingMarkReadMutation, MessagingMarkReadMutationVariables>;
export const MessagingMessageAddedDocument = new TypedDocumentString(`
    subscription MessagingMessageAdded($conversationId: ID!, $after: ID) {
  messageAdded(conversationId: $conversationId, after: $after) {
    ...MessagingMessageFields
  }
}
    fragment MessagingMessageFields on Message {
  id
  body
  sentAt
  sender {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<MessagingMessageAddedSubscription, MessagingMessageAddedSubscriptionVariables>;
export const MessagingStartDocument = new TypedDocumentString(`
    mutation MessagingStart($participantIds: [ID!]!, $subject: String!, $body: String!, $studentId: ID) {
  startConversation(
    participantIds: $participantIds
    subject: $subject
    body: $body
    studentId: $studentId
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<MessagingStartMutation, MessagingStartMutationVariables>;
export const MessagingParentRecipientsDocument = new TypedDocumentString(`
    query MessagingParentRecipients {
  me {
    id
    children {
      id
      displayName
      enrollments {
        id
        status
        course {
          id
          title
          teacher {
            id
            displayName
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MessagingParentRecipientsQuery, MessagingParentRecipientsQueryVariables>;
export const MessagingTeacherRecipientsDocument = new TypedDocumentString(`
    query MessagingTeacherRecipients {
  me {
    id
    teachingCourses {
      id
      title
      enrollments(first: 30) {
        edges {
          node {
            id
            status
            student {
              id
              displayName
              guardians {
                id
                displayName
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MessagingTeacherRecipientsQuery, MessagingTeacherRecipientsQueryVariables>;
export const MessagingAdminRecipientsDocument = new TypedDocumentString(`
    query MessagingAdminRecipients {
  me {
    id
  }
  users(first: 100) {
    edges {
      node {
        id
        displayName
        roles
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MessagingAdminRecipientsQuery, MessagingAdminRecipientsQueryVariables>;
export const MessagingNotificationReceivedDocument = new TypedDocumentString(`
    subscription MessagingNotificationReceived($after: ID) {
  notificationReceived(after: $after) {
    id
    title
    body
    category
  }
}
    `) as unknown as TypedDocumentString<MessagingNotificationReceivedSubscription, MessagingNotificationReceivedSubscriptionVariables>;
export const ParentChildrenDocument = new TypedDocumentString(`
    query ParentChildren {
  me {
    id
    children {
      id
      displayName
      enrollments {
        id
        status
        progress
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ParentChildrenQuery, ParentChildrenQueryVariables>;
export const ParentChildDocument = new TypedDocumentString(`
    query ParentChild($id: ID!) {
  me {
    id
    children {
      id
    }
  }
  user(id: $id) {
    id
    displayName
    enrollments {
      id
      status
      progress
      enrolledAt
      completedAt
      course {
        id
        title
      }
      attendance {
        status
        firstJoinedAt
        totalSeconds
        session {
          id
          title
          startsAt
          status
        }
      }
      quizAttempts {
        id
        number
        status
        score
        maxScore
        passed
        submittedAt
        quiz {
          id
          title
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ParentChildQuery, ParentChildQueryVariables>;
export const ParentChildSubscriptionsDocument = new TypedDocumentString(`
    query ParentChildSubscriptions($id: ID!) {
  user(id: $id) {
    id
    planSubscriptions {
      id
      status
      currentPeriodEnd
      plan {
        id
        name
        price {
          formatted
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ParentChildSubscriptionsQuery, ParentChildSubscriptionsQueryVariables>;
export const ParentPairWithCodeDocument = new TypedDocumentString(`
    mutation ParentPairWithCode($code: String!) {
  pairWithCode(code: $code) {
    id
    displayName
  }
}
    `) as unknown as TypedDocumentString<ParentPairWithCodeMutation, ParentPairWithCodeMutationVariables>;
export const StudentSaveAnswerDocument = new TypedDocumentString(`
    mutation StudentSaveAnswer($attemptId: ID!, $answer: AnswerInput!) {
  saveQuizAnswer(attemptId: $attemptId, answer: $answer) {
    id
    lastSavedAt
  }
}
    `) as unknown as TypedDocumentString<StudentSaveAnswerMutation, StudentSaveAnswerMutationVariables>;
export const StudentSubmitAttemptDocument = new TypedDocumentString(`
    mutation StudentSubmitAttempt($attemptId: ID!, $answers: [AnswerInput!]!) {
  submitQuizAttempt(attemptId: $attemptId, answers: $answers) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<StudentSubmitAttemptMutation, StudentSubmitAttemptMutationVariables>;
export const StudentAttemptDocument = new TypedDocumentString(`
    query StudentAttempt($id: ID!) {
  quizAttempt(id: $id) {
    id
    number
    status
    startedAt
    deadline
    submittedAt
    timedOut
    lastSavedAt
    score
    maxScore
    passed
    quiz {
      id
      title
      passingScore
      solutionsRevealed
      course {
        id
      }
      questions {
        id
        position
        kind
        prompt
        options
        points
        solution {
          choices
          booleanValue
          numericValue
          tolerance
          acceptedAnswers
        }
      }
    }
    answers {
      id
      choices
      booleanValue
      numericValue
      text
      correct
      pointsAwarded
      question {
        id
      }
      solution {
        choices
        booleanValue
        numericValue
        tolerance
        acceptedAnswers
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StudentAttemptQuery, StudentAttemptQueryVariables>;
export const StudentCourseDocument = new TypedDocumentString(`
    query StudentCourse($id: ID!) {
  course(id: $id) {
    id
    title
    description
    teacher {
      id
      displayName
    }
    enrollments(first: 1) {
      edges {
        node {
          id
          status
          progress
        }
      }
    }
    lessons {
      id
      title
      position
      kind
      durationSeconds
      completed
    }
    quizzes {
      id
      title
      timeLimitSeconds
      maxAttempts
      dueAt
      totalPoints
      questions {
        id
      }
    }
    liveSessions(upcoming: true) {
      id
      title
      startsAt
      status
    }
  }
}
    `) as unknown as TypedDocumentString<StudentCourseQuery, StudentCourseQueryVariables>;
export const StudentCompleteLessonDocument = new TypedDocumentString(`
    mutation StudentCompleteLesson($lessonId: ID!) {
  completeLesson(lessonId: $lessonId) {
    id
    status
    progress
  }
}
    `) as unknown as TypedDocumentString<StudentCompleteLessonMutation, StudentCompleteLessonMutationVariables>;
export const StudentCoursesDocument = new TypedDocumentString(`
    query StudentCourses {
  me {
    id
    enrollments {
      id
      status
      progress
      course {
        id
        title
        teacher {
          id
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StudentCoursesQuery, StudentCoursesQueryVariables>;
export const StudentQuizDocument = new TypedDocumentString(`
    query StudentQuiz($id: ID!) {
  quiz(id: $id) {
    id
    title
    timeLimitSeconds
    maxAttempts
    dueAt
    totalPoints
    course {
      id
      title
    }
    questions {
      id
    }
    attempts {
      id
      number
      status
      startedAt
      score
      maxScore
      passed
    }
  }
}
    `) as unknown as TypedDocumentString<StudentQuizQuery, StudentQuizQueryVariables>;
export const StudentStartAttemptDocument = new TypedDocumentString(`
    mutation StudentStartAttempt($quizId: ID!) {
  startQuizAttempt(quizId: $quizId) {
    id
  }
}
    `) as unknown as TypedDocumentString<StudentStartAttemptMutation, StudentStartAttemptMutationVariables>;
export const TeacherCourseRosterDocument = new TypedDocumentString(`
    query TeacherCourseRoster($id: ID!, $first: Int!, $after: String) {
  course(id: $id) {
    id
    enrollments(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          progress
          student {
            id
            displayName
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherCourseRosterQuery, TeacherCourseRosterQueryVariables>;
export const TeacherScheduleSessionDocument = new TypedDocumentString(`
    mutation TeacherScheduleSession($courseId: ID!, $input: ScheduleLiveSessionInput!) {
  scheduleLiveSession(courseId: $courseId, input: $input) {
    id
    title
  }
}
    `) as unknown as TypedDocumentString<TeacherScheduleSessionMutation, TeacherScheduleSessionMutationVariables>;
export const TeacherSessionAttendanceDocument = new TypedDocumentString(`
    query TeacherSessionAttendance($id: ID!) {
  liveSession(id: $id) {
    id
    attendance {
      status
      firstJoinedAt
      totalSeconds
      student {
        id
        displayName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherSessionAttendanceQuery, TeacherSessionAttendanceQueryVariables>;
export const TeacherCourseDocument = new TypedDocumentString(`
    query TeacherCourse($id: ID!) {
  course(id: $id) {
    id
    title
    status
    enrollmentCount
    liveSessions {
      id
      title
      startsAt
      status
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherCourseQuery, TeacherCourseQueryVariables>;
export const TeacherStartSessionDocument = new TypedDocumentString(`
    mutation TeacherStartSession($id: ID!) {
  startLiveSession(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<TeacherStartSessionMutation, TeacherStartSessionMutationVariables>;
export const TeacherEndSessionDocument = new TypedDocumentString(`
    mutation TeacherEndSession($id: ID!) {
  endLiveSession(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<TeacherEndSessionMutation, TeacherEndSessionMutationVariables>;
export const TeacherCoursesDocument = new TypedDocumentString(`
    query TeacherCourses {
  me {
    id
    teachingCourses {
      id
      title
      status
      enrollmentCount
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherCoursesQuery, TeacherCoursesQueryVariables>;
export const TeacherSchoolCoursesDocument = new TypedDocumentString(`
    query TeacherSchoolCourses {
  courses(first: 100) {
    totalCount
    edges {
      node {
        id
        title
        status
        enrollmentCount
        teacher {
          id
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherSchoolCoursesQuery, TeacherSchoolCoursesQueryVariables>;