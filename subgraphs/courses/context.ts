import DataLoader from 'dataloader';
import type { SubgraphContext } from '../../platform/graphql/subgraph-server';
import { Course } from './course/course.entity';
import { Enrollment, EnrollmentStatus } from './enrollment/enrollment.entity';
import { countGroupedBy } from './grouped-count';
import { GuardianLink } from './guardian/guardian-link.entity';
import { LessonCompletion } from './lesson/lesson-completion.entity';
import { Lesson } from './lesson/lesson.entity';
import { Attendance } from './live-session/attendance.entity';
import { LiveSession } from './live-session/live-session.entity';
import { PollVote } from './live-session/poll-vote.entity';
import { Poll } from './live-session/poll.entity';
import { Question } from './quiz/question.entity';
import { QuizAnswer } from './quiz/quiz-answer.entity';
import { QuizAttempt } from './quiz/quiz-attempt.entity';
import { Quiz } from './quiz/quiz.entity';

/** A loader of rows by id: one `IN (…)` query per tick, missing ids answer null. */
function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** A loader of row lists by a foreign key: one `IN (…)` query per tick. */
function listBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await load([...keys])) {
      const key = keyOf(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Composite loader key of a (course, student) or (quiz, student) pair. */
export const pairKey = (a: string, b: string) => `${a}:${b}`;
const splitPairs = (keys: readonly string[]) => keys.map((k) => k.split(':') as [string, string]);

/**
 * Per-request batching, so that a page of 50 courses with their lessons, counts and enrollments
 * costs the same handful of queries as a page of 5. Every loader reads through the request's
 * tenant-scoped EntityManager (the tenant filter applies to each query).
 */
export function createLoaders({ em }: Omit<SubgraphContext, 'loaders'>) {
  const active = { $ne: EnrollmentStatus.DROPPED };
  return {
    course: byId((ids) => em.find(Course, { id: { $in: ids } })),
    lesson: byId((ids) => em.find(Lesson, { id: { $in: ids } })),
    quiz: byId((ids) => em.find(Quiz, { id: { $in: ids } })),
    question: byId((ids) => em.find(Question, { id: { $in: ids } })),
    liveSession: byId((ids) => em.find(LiveSession, { id: { $in: ids } })),
    poll: byId((ids) => em.find(Poll, { id: { $in: ids } })),
    enrollment: byId((ids) => em.find(Enrollment, { id: { $in: ids } })),
    // Attempts change under the same request (submit), so they are always read fresh.
    attempt: byId((ids) => em.find(QuizAttempt, { id: { $in: ids } }, { refresh: true })),

    lessonsByCourse: listBy(
      (ids) => em.find(Lesson, { course: { $in: ids } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
      (l) => l.course.id,
    ),
    quizzesByCourse: listBy(
      (ids) => em.find(Quiz, { course: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (q) => q.course.id,
    ),
    questionsByQuiz: listBy(
      (ids) => em.find(Question, { quiz: { $in: ids } }, { orderBy: { position: 'asc' } }),
      (q) => q.quiz.id,
    ),
    liveSessionsByCourse: listBy(
      (ids) => em.find(LiveSession, { course: { $in: ids } }, { orderBy: { startsAt: 'asc' } }),
      (s) => s.course.id,
    ),
    pollsBySession: listBy(
      (ids) => em.find(Poll, { session: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (p) => p.session.id,
    ),
    attendanceBySession: listBy(
      (ids) => em.find(Attendance, { session: { $in: ids } }, { orderBy: { firstJoinedAt: 'asc' } }),
      (a) => a.session.id,
    ),
    answersByAttempt: listBy(
      (ids) => em.find(QuizAnswer, { attempt: { $in: ids } }),
      (a) => a.attempt.id,
    ),
    teachingCourses: listBy(
      (ids) => em.find(Course, { teacherId: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (c) => c.teacherId,
    ),
    /** Enrollments of a student, dropped ones included (the resolver filters by viewer). */
    enrollmentsByStudent: listBy(
      (ids) => em.find(Enrollment, { studentId: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (e) => e.studentId,
    ),
    /** Lesson ids an enrollment has completed. */
    completedLessonIds: listBy(
      (ids) => em.find(LessonCompletion, { enrollment: { $in: ids } }),
      (c) => c.enrollment.id,
    ),

    /** Active and completed (not dropped) enrollments per course. */
    enrollmentCount: new DataLoader<string, number>((ids) => countGroupedBy(em, Enrollment, 'course', ids, { status: active })),

    /** The enrollment of a student in a course, by pairKey(courseId, studentId). */
    enrollmentOf: new DataLoader<string, Enrollment | null>(async (keys) => {
      const pairs = splitPairs(keys);
      const rows = await em.find(Enrollment, { course: { $in: pairs.map((p) => p[0]) }, studentId: { $in: pairs.map((p) => p[1]) } });
      const found = new Map(rows.map((e) => [pairKey(e.course.id, e.studentId), e]));
      return keys.map((k) => found.get(k) ?? null);
    }),

    /** Attempts of a student at a quiz, oldest first, by pairKey(quizId, studentId). */
    attemptsOf: new DataLoader<string, QuizAttempt[]>(async (keys) => {
      const pairs = splitPairs(keys);
      const rows = await em.find(
        QuizAttempt,
        { quiz: { $in: pairs.map((p) => p[0]) }, studentId: { $in: pairs.map((p) => p[1]) } },
        { orderBy: { number: 'asc' }, refresh: true },
      );
      return keys.map((k) => rows.filter((a) => pairKey(a.quiz.id, a.studentId) === k));
    }),

    /** Every attempt at a quiz, oldest first (for its teacher). */
    attemptsByQuiz: listBy(
      (ids) => em.find(QuizAttempt, { quiz: { $in: ids } }, { orderBy: { startedAt: 'asc' }, refresh: true }),
      (a) => a.quiz.id,
    ),
    /** The votes of a poll (the resolver counts them per option). */
    pollVotes: listBy(
      (ids) => em.find(PollVote, { poll: { $in: ids } }),
      (v) => v.poll.id,
    ),

    /** Student ids a guardian follows (guardian read model). */
    childIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { guardianId: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.guardianId === id).map((l) => l.studentId));
    }),
    /** Guardian ids of a student (guardian read model). */
    guardianIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { studentId: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.studentId === id).map((l) => l.guardianId));
    }),
  };
}

export type CoursesLoaders = ReturnType<typeof createLoaders>;
export type CoursesContext = SubgraphContext<CoursesLoaders>;
