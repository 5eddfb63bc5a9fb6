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

/** A loader of one row per key (by default its id): one `IN (…)` query per tick, missing keys answer null. */
function oneBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = new Map((await load([...keys])).map((r) => [keyOf(r), r]));
    return keys.map((k) => rows.get(k) ?? null);
  });
}

const byId = <T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) => oneBy(load, (r) => r.id);

/** A loader of row lists by a foreign key: one `IN (…)` query per tick; rows keep the query's order. */
function listBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await load([...keys])) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Composite loader key of a (course, student) or (quiz, student) pair. */
export const pairKey = (a: string, b: string) => `${a}:${b}`;
/** The first ids and the second ids of pairKeys; querying both lists may return rows of other pairs, which the key drops. */
const splitPairs = (keys: readonly string[]) => {
  const pairs = keys.map((k) => k.split(':'));
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])] as const;
};

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
    /** The lesson completions of an enrollment. */
    completionsByEnrollment: listBy(
      (ids) => em.find(LessonCompletion, { enrollment: { $in: ids } }),
      (c) => c.enrollment.id,
    ),

    /** Active and completed (not dropped) enrollments per course. */
    enrollmentCount: new DataLoader<string, number>((ids) => countGroupedBy(em, Enrollment, 'course', ids, { status: active })),

    /** The enrollment of a student in a course, by pairKey(courseId, studentId). */
    enrollmentOf: oneBy(
      (keys) => {
        const [courses, students] = splitPairs(keys);
        return em.find(Enrollment, { course: { $in: courses }, studentId: { $in: students } });
      },
      (e) => pairKey(e.course.id, e.studentId),
    ),

    /** Attempts of a student at a quiz, oldest first, by pairKey(quizId, studentId). */
    attemptsOf: listBy(
      (keys) => {
        const [quizzes, students] = splitPairs(keys);
        return em.find(
          QuizAttempt,
          { quiz: { $in: quizzes }, studentId: { $in: students } },
          { orderBy: { number: 'asc' }, refresh: true },
        );
      },
      (a) => pairKey(a.quiz.id, a.studentId),
    ),

    /** Every attempt at a quiz, oldest first (for its teacher). */
    attemptsByQuiz: listBy(
      (ids) => em.find(QuizAttempt, { quiz: { $in: ids } }, { orderBy: { startedAt: 'asc' }, refresh: true }),
      (a) => a.quiz.id,
    ),
    /** The votes of a poll (counted per option by poll.type.ts's tally). */
    pollVotes: listBy(
      (ids) => em.find(PollVote, { poll: { $in: ids } }),
      (v) => v.poll.id,
    ),

    /** Student ids a guardian follows (guardian read model). */
    childIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { guardianId: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.guardianId === id).map((l) => l.studentId));
    }),
  };
}

export type CoursesLoaders = ReturnType<typeof createLoaders>;
export type CoursesContext = SubgraphContext<CoursesLoaders>;
